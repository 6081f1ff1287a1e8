import type { Clock } from '../core'
import type { StreamEventRepository, StreamEventRow, StreamEventTrim } from '../store'

/** One journaled account event. `id` is the wire id clients resume from: `evt_<epoch>_<seq>`. */
export interface JournalEntry extends StreamEventRow {
  id: string
}

const NO_TRIMS: readonly StreamEventTrim[] = []

export type ReplayResult =
  | { ok: true; events: JournalEntry[] }
  | { ok: false; reason: 'unknown_event_id' | 'events_expired'; oldestAvailable?: string }

/**
 * The bounded replay buffer of account events, per user, in SQLite so it survives a server restart.
 * Event ids carry the store's epoch: an id from another database (or a wiped one) is never mistaken
 * for a position in this one.
 */
export class EventJournal {
  private readonly nextSeq = new Map<string, number>()
  private appended = 0
  private readonly trimEvery: number
  private pending: JournalEntry[] = []
  private flushScheduled = false

  constructor(
    private readonly store: StreamEventRepository,
    private readonly clock: Clock,
    readonly epoch: string,
    private readonly maxEvents: number,
    private readonly maxAgeMs: number,
    /** Where a failed batch write is reported (it runs outside any request). */
    private readonly onError: (err: unknown) => void = () => {},
    /**
     * Called with each batch once it is in the store: the hub sends events only then, so no
     * client ever holds an id the store does not (see `append`).
     */
    private readonly onDurable: (batch: JournalEntry[]) => void = () => {},
  ) {
    this.trimEvery = Math.max(1, Math.floor(maxEvents / 16))
  }

  idOf(seq: number): string {
    return `evt_${this.epoch}_${seq}`
  }

  /** The sequence number of an event id of this journal; undefined for other epochs or malformed ids. */
  seqOf(id: string): number | undefined {
    const m = /^evt_([0-9a-f]+)_(\d{1,15})$/.exec(id)
    return m && m[1] === this.epoch ? Number(m[2]) : undefined
  }

  append(e: { userId: string; accountId?: string; kind: string; symbol?: string; data: string; at: number }): JournalEntry {
    const seq = this.seqFor(e.userId)
    const entry: JournalEntry = {
      id: this.idOf(seq),
      userId: e.userId,
      accountId: e.accountId ?? null,
      seq,
      kind: e.kind,
      symbol: e.symbol ?? null,
      data: e.data,
      at: e.at,
    }
    this.nextSeq.set(e.userId, seq + 1)
    // Written in batches, one transaction per event-loop turn: every commit rewrites whole pages of
    // the table and its indexes, so one commit per order's events dominated the order path. The
    // events go to clients after their batch commits (`onDurable`): a crash inside the turn loses
    // ids nobody has seen, so numbering them again after the restart can never hide a gap.
    this.pending.push(entry)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => {
        // A store closed during shutdown (after its final flush) has nothing left to take.
        if (!this.store.isOpen()) return
        try {
          this.flush()
        } catch (err) {
          this.onError(err)
        }
      })
    }
    return entry
  }

  /** Write the queued entries (and keep the count bound) in one transaction. Reads flush first. */
  flush(): void {
    this.flushScheduled = false
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    try {
      this.writeBatch(batch)
    } finally {
      // A failed write still delivers live (the store is in trouble; resuming will say so).
      this.onDurable(batch)
    }
  }

  /** One transaction: the entries, the count bound and, every 256 entries, the age bound. */
  private writeBatch(batch: JournalEntry[]): void {
    let trims: StreamEventTrim[] | undefined
    for (const x of batch) {
      // The count bound is kept in batches of 1/16 of it: replay reads only the newest maxEvents
      // anyway, so the few extra rows between trims are never visible.
      if (x.seq > this.maxEvents && x.seq % this.trimEvery === 0) (trims ??= []).push({ userId: x.userId, throughSeq: x.seq - this.maxEvents })
    }
    const pruneDue = this.appended + batch.length >= 256
    this.store.writeBatch(batch, trims ?? NO_TRIMS, pruneDue ? this.ageCutoff() : undefined)
    this.appended = pruneDue ? 0 : this.appended + batch.length
  }

  /**
   * Drop entries past the age bound (the count bound is kept on append). Each user's newest entry
   * stays as the high-water mark, so numbering never restarts and an old id never looks current.
   */
  prune(): void {
    this.flush()
    this.store.prune(this.ageCutoff())
  }

  private ageCutoff(): number {
    return this.clock.now() - this.maxAgeMs
  }

  /** The user's events after `lastId`, or why they cannot be replayed without a gap. */
  after(userId: string, lastId: string): ReplayResult {
    this.flush()
    const last = this.seqOf(lastId)
    const latest = this.seqFor(userId) - 1
    if (last === undefined || last > latest) return { ok: false, reason: 'unknown_event_id' }
    if (last === latest) return { ok: true, events: [] }
    const cutoff = this.ageCutoff()
    const rows = this.store.after(userId, Math.max(last, latest - this.maxEvents)).filter((r) => r.at >= cutoff)
    const first = rows[0]
    if (!first || first.seq !== last + 1) return { ok: false, reason: 'events_expired', oldestAvailable: first ? this.idOf(first.seq) : undefined }
    return { ok: true, events: rows.map((r) => ({ ...r, id: this.idOf(r.seq) })) }
  }

  /** The id of the user's latest event (undefined before the first one). */
  latestId(userId: string): string | undefined {
    const seq = this.seqFor(userId) - 1
    return seq > 0 ? this.idOf(seq) : undefined
  }

  private seqFor(userId: string): number {
    let next = this.nextSeq.get(userId)
    if (next === undefined) {
      next = this.store.maxSeq(userId) + 1
      this.nextSeq.set(userId, next)
    }
    return next
  }
}
