import type { Clock } from '../core'
import type { ExecutionService } from '../execution'
import type { ExecutionStore } from '../executions/store'
import type { MarketData } from '../market'
import type { StrategyAccountRow } from '../store'
import { decisionView } from './decisions'
import { LiveRun } from './live-run'
import type { AccountOutcome } from './strategy-runner'
import { strategyUserId } from './user-ids'

export interface StrategyExecutionsOptions {
  store: ExecutionStore
  execution: ExecutionService
  market: MarketData
  clock: Clock
  /** Cycles between two metrics checkpoints; default LIVE_CHECKPOINT_EVERY. */
  checkpointEvery?: number
  /** Told when recording fails (never fails the cycle). */
  onError?: (err: unknown, accountId: string) => void
}

/**
 * Each active strategy account's run as a `trading` execution: started when the account is created
 * or re-activated (or, after a restart, at its first cycle), filled at every cycle (a
 * `strategy_signal` per non-HOLD decision, its fills, closed round trips, an equity point, a
 * checkpoint every N cycles), `stopped` when the account is deactivated or deleted.
 */
export class StrategyExecutions {
  private readonly runs = new Map<string, LiveRun>()

  constructor(private readonly o: StrategyExecutionsOptions) {}

  /** The account's paper account had fills or position changes (its bus events). */
  markDirty(accountId: string): void {
    this.runs.get(accountId)?.markDirty()
  }

  /** The account's open execution id (tests, API). */
  executionOf(accountId: string): number | undefined {
    return this.runs.get(accountId)?.executionId
  }

  /** Start the account's execution unless one runs. */
  start(row: StrategyAccountRow): void {
    this.guard(row.id, () => this.ensure(row))
  }

  /** After the account's turn of a cycle. */
  afterRun(row: StrategyAccountRow, out: AccountOutcome): void {
    this.guard(row.id, () => {
      const run = this.ensure(row)
      for (const d of out.decisions) {
        if (d.action === 'HOLD') continue
        run.event('strategy_signal', d.candleTime ?? d.createdAt, decisionView(d) as unknown as Record<string, unknown>)
      }
      run.sync({ equity: true })
    })
  }

  /** The account was deactivated or deleted: its execution ends `stopped`. */
  stop(accountId: string, reason: string): void {
    const run = this.runs.get(accountId)
    if (!run) return
    this.runs.delete(accountId)
    this.guard(accountId, () => run.stop(reason))
  }

  private ensure(row: StrategyAccountRow): LiveRun {
    const held = this.runs.get(row.id)
    if (held && !held.closed) return held
    const run = LiveRun.start(
      { store: this.o.store, execution: this.o.execution, market: this.o.market, clock: this.o.clock, checkpointEvery: this.o.checkpointEvery, tracksDirty: true },
      row.ownerId,
      strategyUserId(row.id),
      { source: 'strategy_account', source_id: row.id, strategy: row.strategy, symbols: row.symbols },
    )
    this.runs.set(row.id, run)
    return run
  }

  private guard(accountId: string, f: () => void): void {
    try {
      f()
    } catch (err) {
      this.o.onError?.(err, accountId)
    }
  }
}
