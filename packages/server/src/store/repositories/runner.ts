import type { Statement } from 'better-sqlite3'
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../database'
import { strategyAccounts as sa, strategyDecisions as sd } from '../schema'

/** A strategy account as stored (`params` and `symbols` are plain JSON). */
export interface StrategyAccountRow {
  id: string
  ownerId: string
  name: string
  strategy: string
  params: Record<string, unknown>
  symbols: string[]
  interval: string
  initialBalance: number
  paperAccountId: string
  active: boolean
  createdAt: number
  updatedAt: number
  deletedAt: number | null
}

export type DecisionAction = 'BUY' | 'SELL' | 'HOLD' | 'CLOSE'

/** One recorded decision (without its row sequence). */
export interface StrategyDecisionRow {
  id: string
  accountId: string
  cycleId: string
  symbol: string
  action: DecisionAction
  confidence: number
  reasoning: string
  indicators: Record<string, number | null>
  candleTime: number | null
  orderId: string | null
  errorCode: string | null
  errorMessage: string | null
  createdAt: number
}

export interface DecisionFilter {
  symbol?: string
  cycleId?: string
  limit: number
  offset: number
}

/** Strategy accounts and their decisions. */
export interface RunnerRepository {
  insertAccount(row: StrategyAccountRow): void
  /** A live (not deleted) account by id. */
  account(id: string): StrategyAccountRow | undefined
  /** Live accounts of an owner, oldest first. */
  accountsOf(ownerId: string): StrategyAccountRow[]
  /** Live accounts of every owner, oldest first. */
  allAccounts(): StrategyAccountRow[]
  /** Live accounts that trade (active), oldest first: what a cycle runs. */
  activeAccounts(): StrategyAccountRow[]
  countOf(ownerId: string): number
  /** Replace the mutable fields (name, params, symbols, active, updatedAt, deletedAt). */
  updateAccount(row: StrategyAccountRow): void
  /** Append decisions (call inside a transaction for a batch). */
  insertDecisions(rows: readonly StrategyDecisionRow[]): void
  /** Decisions of an account, newest first. */
  decisions(accountId: string, q: DecisionFilter): (StrategyDecisionRow & { seq: number })[]
  countDecisions(accountId: string, q: Pick<DecisionFilter, 'symbol' | 'cycleId'>): number
}

type AccountSelect = typeof sa.$inferSelect

const toAccount = (r: AccountSelect): StrategyAccountRow => ({
  ...r,
  params: r.params as Record<string, unknown>,
  symbols: r.symbols as string[],
})

export class SqliteRunnerRepository implements RunnerRepository {
  private readonly insDecision: Statement

  constructor(private readonly db: Db) {
    // Cycles append hundreds of decisions at once: one prepared statement, no query building per row.
    this.insDecision = db.$client.prepare(
      `INSERT INTO strategy_decisions (id, account_id, cycle_id, symbol, action, confidence, reasoning, indicators, candle_time, order_id, error_code, error_message, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
  }

  insertAccount(row: StrategyAccountRow): void {
    this.db.insert(sa).values(row).run()
  }

  account(id: string): StrategyAccountRow | undefined {
    const r = this.db
      .select()
      .from(sa)
      .where(and(eq(sa.id, id), isNull(sa.deletedAt)))
      .get()
    return r && toAccount(r)
  }

  accountsOf(ownerId: string): StrategyAccountRow[] {
    return this.db
      .select()
      .from(sa)
      .where(and(eq(sa.ownerId, ownerId), isNull(sa.deletedAt)))
      .orderBy(asc(sa.createdAt), asc(sa.id))
      .all()
      .map(toAccount)
  }

  allAccounts(): StrategyAccountRow[] {
    return this.db.select().from(sa).where(isNull(sa.deletedAt)).orderBy(asc(sa.createdAt), asc(sa.id)).all().map(toAccount)
  }

  activeAccounts(): StrategyAccountRow[] {
    return this.db
      .select()
      .from(sa)
      .where(and(isNull(sa.deletedAt), eq(sa.active, true)))
      .orderBy(asc(sa.createdAt), asc(sa.id))
      .all()
      .map(toAccount)
  }

  countOf(ownerId: string): number {
    return (
      this.db
        .select({ n: count() })
        .from(sa)
        .where(and(eq(sa.ownerId, ownerId), isNull(sa.deletedAt)))
        .get()?.n ?? 0
    )
  }

  updateAccount(row: StrategyAccountRow): void {
    this.db
      .update(sa)
      .set({
        name: row.name,
        params: row.params,
        symbols: row.symbols,
        active: row.active,
        updatedAt: row.updatedAt,
        deletedAt: row.deletedAt,
      })
      .where(eq(sa.id, row.id))
      .run()
  }

  insertDecisions(rows: readonly StrategyDecisionRow[]): void {
    for (const r of rows)
      this.insDecision.run(
        r.id,
        r.accountId,
        r.cycleId,
        r.symbol,
        r.action,
        r.confidence,
        r.reasoning,
        JSON.stringify(r.indicators),
        r.candleTime,
        r.orderId,
        r.errorCode,
        r.errorMessage,
        r.createdAt,
      )
  }

  decisions(accountId: string, q: DecisionFilter): (StrategyDecisionRow & { seq: number })[] {
    return this.db
      .select()
      .from(sd)
      .where(
        and(
          eq(sd.accountId, accountId),
          ...(q.symbol === undefined ? [] : [eq(sd.symbol, q.symbol)]),
          ...(q.cycleId === undefined ? [] : [eq(sd.cycleId, q.cycleId)]),
        ),
      )
      .orderBy(desc(sd.seq))
      .limit(q.limit)
      .offset(q.offset)
      .all()
      .map((r) => ({ ...r, indicators: r.indicators as Record<string, number | null> }))
  }

  countDecisions(accountId: string, q: Pick<DecisionFilter, 'symbol' | 'cycleId'>): number {
    return (
      this.db
        .select({ n: count() })
        .from(sd)
        .where(
          and(
            eq(sd.accountId, accountId),
            ...(q.symbol === undefined ? [] : [eq(sd.symbol, q.symbol)]),
            ...(q.cycleId === undefined ? [] : [eq(sd.cycleId, q.cycleId)]),
          ),
        )
        .get()?.n ?? 0
    )
  }
}
