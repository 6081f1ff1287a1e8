import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm'
import type { Db } from '../database'
import { riskEvents } from '../schema'

/** How bad a risk event is. */
export type RiskSeverity = 'low' | 'medium' | 'high' | 'critical'

/** One stored risk event: a limit approached (≥ 80 %) or an order denied. */
export interface RiskEventRow {
  /** Insertion order (ties of `createdAt`). */
  seq: number
  id: string
  accountId: string
  type: string
  severity: RiskSeverity
  message: string
  symbol: string | null
  /** What the event is about (e.g. `position:BTCUSDT`): resolution is per subject. */
  subject: string
  details: Record<string, unknown>
  resolved: boolean
  resolvedAt: number | null
  createdAt: number
}

/** A risk event to store: the store numbers it. */
export type NewRiskEvent = Omit<RiskEventRow, 'seq'>

/** Which of an account's events to list. */
export interface RiskEventFilter {
  severity?: RiskSeverity
  /** Created at or after (ms). */
  since?: number
  /** Created at or before (ms). */
  until?: number
  resolved?: boolean
  limit: number
}

/** Risk events by account. Writes join the caller's transaction. */
export interface RiskEventRepository {
  /** Store the event; returns it as stored (with its `seq`). */
  insert(event: NewRiskEvent): RiskEventRow
  /** Mark every unresolved event of the account's `subject` resolved at `at`. */
  resolveSubject(accountId: string, subject: string, at: number): void
  /** Replace an event's severity and details (a warning escalating in place). */
  updateSeverity(id: string, severity: RiskSeverity, details: Record<string, unknown>): void
  /** The account's unresolved events. */
  listUnresolved(accountId: string): RiskEventRow[]
  /** The account's events matching `filter`, newest first. */
  list(accountId: string, filter: RiskEventFilter): RiskEventRow[]
}

export class SqliteRiskEventRepository implements RiskEventRepository {
  constructor(private readonly db: Db) {}

  insert(event: NewRiskEvent): RiskEventRow {
    return this.db.insert(riskEvents).values(event).returning().get()
  }

  resolveSubject(accountId: string, subject: string, at: number): void {
    this.db
      .update(riskEvents)
      .set({ resolved: true, resolvedAt: at })
      .where(and(eq(riskEvents.accountId, accountId), eq(riskEvents.subject, subject), eq(riskEvents.resolved, false)))
      .run()
  }

  updateSeverity(id: string, severity: RiskSeverity, details: Record<string, unknown>): void {
    this.db.update(riskEvents).set({ severity, details }).where(eq(riskEvents.id, id)).run()
  }

  listUnresolved(accountId: string): RiskEventRow[] {
    return this.db
      .select()
      .from(riskEvents)
      .where(and(eq(riskEvents.accountId, accountId), eq(riskEvents.resolved, false)))
      .all()
  }

  list(accountId: string, f: RiskEventFilter): RiskEventRow[] {
    const e = riskEvents
    const where: SQL[] = [eq(e.accountId, accountId)]
    if (f.severity) where.push(eq(e.severity, f.severity))
    if (f.since !== undefined) where.push(gte(e.createdAt, f.since))
    if (f.until !== undefined) where.push(lte(e.createdAt, f.until))
    if (f.resolved !== undefined) where.push(eq(e.resolved, f.resolved))
    return this.db
      .select()
      .from(e)
      .where(and(...where))
      .orderBy(desc(e.createdAt), desc(e.seq))
      .limit(f.limit)
      .all()
  }
}
