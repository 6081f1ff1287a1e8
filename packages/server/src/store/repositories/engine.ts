import { and, asc, count, desc, eq, gte, lt } from 'drizzle-orm'
import type { Db } from '../database'
import { engines as en, engineTransitions as et } from '../schema'

/** An engine as stored (`symbols` and `context` are plain JSON). */
export interface EngineRow {
  ownerId: string
  state: string
  previousState: string | null
  preset: string | null
  mode: string
  symbols: string[]
  paperAccountId: string | null
  since: number
  startedAt: number | null
  context: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

/** One stored state transition (without its sequence number). */
export interface EngineTransitionRow {
  ownerId: string
  fromState: string
  toState: string
  command: string | null
  trigger: string
  reason: string
  details: Record<string, unknown>
  at: number
}

export interface EngineTransitionQuery {
  limit: number
  /** Only rows older than this sequence number (paging back). */
  beforeSeq?: number
}

/** Engines (one per owner) and their transition history. */
export interface EngineRepository {
  engine(ownerId: string): EngineRow | undefined
  /** Every stored engine, oldest first. */
  all(): EngineRow[]
  /** Insert the engine or replace every field but `createdAt`. */
  save(row: EngineRow): void
  /** Append a transition; returns its sequence number. */
  insertTransition(row: EngineTransitionRow): number
  /** Transitions of an owner, newest first. */
  transitions(ownerId: string, q: EngineTransitionQuery): (EngineTransitionRow & { seq: number })[]
  countTransitions(ownerId: string): number
  /** Transitions into `toState` at or after `since`, of one owner or (undefined) of every engine. */
  countInto(toState: string, since: number, ownerId?: string): number
}

type EngineSelect = typeof en.$inferSelect
type TransitionSelect = typeof et.$inferSelect

const toEngine = (r: EngineSelect): EngineRow => ({
  ...r,
  symbols: r.symbols as string[],
  context: r.context as Record<string, unknown>,
})

const toTransition = (r: TransitionSelect): EngineTransitionRow & { seq: number } => ({
  ...r,
  details: r.details as Record<string, unknown>,
})

export class SqliteEngineRepository implements EngineRepository {
  constructor(private readonly db: Db) {}

  engine(ownerId: string): EngineRow | undefined {
    const r = this.db.select().from(en).where(eq(en.ownerId, ownerId)).get()
    return r && toEngine(r)
  }

  all(): EngineRow[] {
    return this.db.select().from(en).orderBy(asc(en.createdAt), asc(en.ownerId)).all().map(toEngine)
  }

  save(row: EngineRow): void {
    const { ownerId: _o, createdAt: _c, ...rest } = row
    this.db.insert(en).values(row).onConflictDoUpdate({ target: en.ownerId, set: rest }).run()
  }

  insertTransition(row: EngineTransitionRow): number {
    return Number(this.db.insert(et).values(row).run().lastInsertRowid)
  }

  transitions(ownerId: string, q: EngineTransitionQuery): (EngineTransitionRow & { seq: number })[] {
    return this.db
      .select()
      .from(et)
      .where(and(eq(et.ownerId, ownerId), ...(q.beforeSeq === undefined ? [] : [lt(et.seq, q.beforeSeq)])))
      .orderBy(desc(et.seq))
      .limit(q.limit)
      .all()
      .map(toTransition)
  }

  countTransitions(ownerId: string): number {
    return this.db.select({ n: count() }).from(et).where(eq(et.ownerId, ownerId)).get()?.n ?? 0
  }

  countInto(toState: string, since: number, ownerId?: string): number {
    return (
      this.db
        .select({ n: count() })
        .from(et)
        .where(and(eq(et.toState, toState), gte(et.at, since), ...(ownerId === undefined ? [] : [eq(et.ownerId, ownerId)])))
        .get()?.n ?? 0
    )
  }
}
