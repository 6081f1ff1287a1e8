import type { Statement } from 'better-sqlite3'
import { and, asc, eq, gt, max } from 'drizzle-orm'
import type { Db } from '../database'
import { streamEvents } from '../schema'

/** One stored account event of the stream's replay buffer (numbered 1, 2, 3… per user). */
export interface StreamEventRow {
  userId: string
  seq: number
  accountId: string | null
  kind: string
  symbol: string | null
  /** The wire `data` object as JSON text. */
  data: string
  at: number
}

/** Drop a user's events numbered `throughSeq` and below (the count bound). */
export interface StreamEventTrim {
  userId: string
  throughSeq: number
}

/** The replay buffer's storage. It is on the order path: writes come in batches, one transaction each. */
export interface StreamEventRepository {
  /** False once the store is closed (nothing can be written any more). */
  isOpen(): boolean
  /**
   * In one transaction: insert `rows`, apply `trims`, and, when `pruneBefore` is given, drop events
   * older than it except each user's newest.
   */
  writeBatch(rows: readonly StreamEventRow[], trims: readonly StreamEventTrim[], pruneBefore?: number): void
  /** Drop events older than `before`, except each user's newest (the numbering's high-water mark). */
  prune(before: number): void
  /** The user's events numbered above `afterSeq`, oldest first. */
  after(userId: string, afterSeq: number): StreamEventRow[]
  /** The user's highest event number; 0 before the first event. */
  maxSeq(userId: string): number
}

export class SqliteStreamEventRepository implements StreamEventRepository {
  // Prepared once: every order's events pass through here.
  private readonly insert: Statement
  private readonly trim: Statement
  private readonly pruneOld: Statement
  private readonly write: (rows: readonly StreamEventRow[], trims: readonly StreamEventTrim[], pruneBefore?: number) => void

  constructor(private readonly db: Db) {
    const client = db.$client
    this.insert = client.prepare(
      'INSERT INTO stream_events (user_id, seq, account_id, kind, symbol, data, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.trim = client.prepare('DELETE FROM stream_events WHERE user_id = ? AND seq <= ?')
    this.pruneOld = client.prepare(
      'DELETE FROM stream_events WHERE at < ? AND seq < (SELECT MAX(s.seq) FROM stream_events s WHERE s.user_id = stream_events.user_id)',
    )
    this.write = client.transaction((rows: readonly StreamEventRow[], trims: readonly StreamEventTrim[], pruneBefore?: number) => {
      for (const x of rows) this.insert.run(x.userId, x.seq, x.accountId, x.kind, x.symbol, x.data, x.at)
      for (const t of trims) this.trim.run(t.userId, t.throughSeq)
      if (pruneBefore !== undefined) this.pruneOld.run(pruneBefore)
    })
  }

  isOpen(): boolean {
    return this.db.$client.open
  }

  writeBatch(rows: readonly StreamEventRow[], trims: readonly StreamEventTrim[], pruneBefore?: number): void {
    this.write(rows, trims, pruneBefore)
  }

  prune(before: number): void {
    this.pruneOld.run(before)
  }

  after(userId: string, afterSeq: number): StreamEventRow[] {
    const t = streamEvents
    return this.db.select().from(t).where(and(eq(t.userId, userId), gt(t.seq, afterSeq))).orderBy(asc(t.seq)).all()
  }

  maxSeq(userId: string): number {
    const t = streamEvents
    const row = this.db.select({ m: max(t.seq) }).from(t).where(eq(t.userId, userId)).get()
    return row?.m ?? 0
  }
}
