import { computeRunMetrics } from '../backtest/engine/metrics'
import { tradeEventData, type RunEventType, type RunTrade } from '../backtest/types'
import { fromAtoms, type Clock } from '../core'
import { tradeView, type ExecutionService } from '../execution'
import type { ExecutionSink } from '../executions/sink'
import type { ExecutionStore, TradingExecutionInput } from '../executions/store'
import type { MarketData } from '../market'

/** Cycles (or engine ticks with records) between two metrics checkpoints of a live run. */
export const LIVE_CHECKPOINT_EVERY = 10

export interface LiveRunDeps {
  store: ExecutionStore
  execution: ExecutionService
  market: MarketData
  clock: Clock
  checkpointEvery?: number
  /**
   * The owner tells the run when the account's fills may have changed (`markDirty`, from its bus
   * events): syncs between look up nothing. Without it every sync looks the fills up.
   */
  tracksDirty?: boolean
}

/**
 * One live `trading` execution of a paper account (a strategy account, or an engine): writes into
 * the execution's sink what the account did since the last sync — a `trade_executed` event per new
 * fill, a RunTrade (and a `position_closed` event) per newly closed round trip, an equity point, and
 * every N syncs a checkpoint of the backtest engine's metrics (`computeRunMetrics`) over the round
 * trips recorded. Events of the caller (signals, transitions) go in through {@link event}.
 */
export class LiveRun {
  readonly executionId: number
  private readonly sink: ExecutionSink
  private readonly trades: RunTrade[] = []
  private readonly seenFills = new Set<string>()
  private readonly seenTrips = new Set<string>()
  private lastFillAt: number
  private lastTripAt: number
  private peak: number
  private maxDrawdownPct = 0
  private syncs = 0
  private exposed = 0
  private readonly initialBalance: number
  private readonly every: number
  private stopped = false

  private dirty = true
  private constructor(
    private readonly d: LiveRunDeps,
    executionId: number,
    private readonly userId: string,
  ) {
    this.executionId = executionId
    this.sink = d.store.sink(executionId)
    const st = d.execution.state(userId)
    this.initialBalance = fromAtoms(st.account.initialBalance)
    this.peak = fromAtoms(d.execution.portfolio(st).equity)
    const now = d.clock.now()
    // Only what happens from now on belongs to this run.
    this.lastFillAt = now
    this.lastTripAt = now
    for (const f of d.execution.queries.trades(st.account.id, { since: now, limit: 1000, page: 1 }).rows) this.seenFills.add(f.id)
    for (const t of d.execution.listRoundTrips(st.account.id, { since: now })) this.seenTrips.add(t.positionId)
    this.every = d.checkpointEvery ?? LIVE_CHECKPOINT_EVERY
  }

  /** Start a trading execution (running) for the paper account of `userId`. */
  static start(d: LiveRunDeps, ownerId: string, userId: string, input: TradingExecutionInput): LiveRun {
    const summary = d.store.createTrading(ownerId, input)
    return new LiveRun(d, summary.execution_id, userId)
  }

  get closed(): boolean {
    return this.stopped || this.sink.closed
  }

  event(eventType: RunEventType, time: number, data: Record<string, unknown>): void {
    if (this.closed) return
    this.sink.event({ event_type: eventType, time, data })
  }

  /** The account had fills (or positions changed) since the last sync. */
  markDirty(): void {
    this.dirty = true
  }

  /**
   * Record the account's new fills and closed round trips; `equity`: also an equity point (and
   * count the sync towards the next checkpoint). Flushes, so the API reads it at once.
   */
  sync(opts: { equity?: boolean; force?: boolean } = {}): { fills: number; trips: number } {
    if (this.closed) return { fills: 0, trips: 0 }
    const ex = this.d.execution
    const st = ex.state(this.userId)
    const accountId = st.account.id
    let fills = 0
    let trips = 0
    const look = this.dirty || opts.force || !this.d.tracksDirty
    this.dirty = false
    const rows = look ? ex.queries.fillsSince(accountId, this.lastFillAt) : []
    for (const f of rows) {
      if (this.seenFills.has(f.id)) continue
      if (f.createdAt > this.lastFillAt) {
        this.seenFills.clear()
        this.lastFillAt = f.createdAt
      }
      this.seenFills.add(f.id)
      this.sink.event({ event_type: 'trade_executed', time: f.createdAt, data: tradeView(f, this.d.market) as unknown as Record<string, unknown> })
      fills++
    }
    for (const t of look ? ex.listRoundTrips(accountId, { since: this.lastTripAt }) : []) {
      if (this.seenTrips.has(t.positionId)) continue
      if (t.closedAt > this.lastTripAt) {
        this.seenTrips.clear()
        this.lastTripAt = t.closedAt
      }
      this.seenTrips.add(t.positionId)
      const trade: RunTrade = {
        symbol: t.symbol,
        direction: t.side,
        entry_time: t.openedAt,
        entry_price: t.entryPrice,
        exit_time: t.closedAt,
        exit_price: t.exitPrice,
        quantity: t.quantity,
        fees: t.commission,
        pnl: t.pnl,
        // The round trip's own reason (execution/exit-reason.ts, decided when it closed): the REST
        // round trips say the same.
        exit_reason: t.exitReason,
      }
      this.trades.push(trade)
      this.sink.trade(trade)
      this.sink.event({ event_type: 'position_closed', time: t.closedAt, data: tradeEventData(trade, { position_id: t.positionId }) })
      trips++
    }
    if (opts.equity) {
      const p = ex.portfolio(st)
      const equity = fromAtoms(p.equity)
      this.peak = Math.max(this.peak, equity)
      const dd = this.peak > 0 ? Math.max(0, ((this.peak - equity) / this.peak) * 100) : 0
      this.maxDrawdownPct = Math.max(this.maxDrawdownPct, dd)
      this.sink.equity({ time: this.d.clock.now(), equity, balance: fromAtoms(st.account.balance), drawdown_pct: dd })
      this.syncs++
      if (st.positions.size > 0) this.exposed++
      if (this.syncs % this.every === 0) this.checkpoint()
    }
    this.sink.flush()
    return { fills, trips }
  }

  /** A metrics checkpoint now (the backtest engine's figures over the round trips recorded). */
  checkpoint(): void {
    if (this.closed) return
    const ex = this.d.execution
    const st = ex.state(this.userId)
    this.sink.checkpoint(
      computeRunMetrics(this.trades, {
        processed: this.syncs,
        total: this.syncs,
        initialBalance: this.initialBalance,
        equity: fromAtoms(ex.portfolio(st).equity),
        maxDrawdownPct: this.maxDrawdownPct,
        exposedCandles: this.exposed,
      }),
    )
  }

  /** Last records, a final checkpoint, then `stopped` (once). */
  stop(reason: string): void {
    this.finish('stopped', reason)
  }

  /** The source halted on a fault (the engine's ERROR): last records, a final checkpoint, then `failed` with the reason. */
  fail(reason: string): void {
    this.finish('failed', reason)
  }

  /** The source paused (the engine's PAUSED): the execution shows `paused` until {@link resume}. */
  pause(reason: string): void {
    if (this.closed || this.d.store.status(this.executionId).status !== 'running') return
    this.sync({ equity: true, force: true })
    this.sink.event({ event_type: 'status_changed', time: this.d.clock.now(), data: { status: 'paused', reason } })
    this.d.store.setStatus(this.executionId, 'paused')
  }

  /** The source runs again after {@link pause}. */
  resume(reason: string): void {
    if (this.closed || this.d.store.status(this.executionId).status !== 'paused') return
    this.sink.event({ event_type: 'status_changed', time: this.d.clock.now(), data: { status: 'running', reason } })
    this.d.store.setStatus(this.executionId, 'running')
  }

  private finish(status: 'stopped' | 'failed', reason: string): void {
    if (this.closed) return
    this.sync({ equity: true, force: true })
    this.checkpoint()
    this.sink.event({ event_type: 'status_changed', time: this.d.clock.now(), data: { status, reason } })
    this.stopped = true
    this.d.store.setStatus(this.executionId, status, status === 'failed' ? { error_message: reason } : {})
  }
}
