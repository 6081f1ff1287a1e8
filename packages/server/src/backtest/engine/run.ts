/**
 * The backtest engine: one strategy over one symbol's closed candles, traded through a private copy
 * of the paper exchange (see sandbox.ts), so orders, fills, fees, positions, linked exits and the
 * ledger are paper trading's own code — the engine only replays the market and turns decisions into
 * orders.
 *
 * Semantics (the `## Backtests` section of the docs says the same):
 * - Decisions at a candle's close. When candle i closes the strategy sees candles[0..i] (closed
 *   candles only) and the account at that close (equity marked at the close, the open position).
 *   An entry is sized then: `positionSize` (risk_fraction × equity / |close − stop|, truncated to the
 *   lot; |limit − stop| for a limit entry), capped to what 99 % of the free balance buys at that
 *   price after the taker fee and slippage (paper trading has no leverage; the 1 % leaves room for
 *   the move to the next open). The signal event says `capped_by_balance` when the cap applied.
 * - Orders at the next candle's open. Every order a decision causes is submitted when candle i + 1
 *   opens, after the open tick: a market order walks the sandbox's book around the open (the
 *   synthesised book: half a spread, then depth), so it fills at the open plus the spread (and more
 *   for a size larger than the top levels). A limit entry rests (GTC) until it fills, a later
 *   open/close decision replaces it, or the data ends. The decision of the last candle has no next
 *   open: it is recorded as a signal and not traded.
 * - Intents: `open` when flat opens; `open` of the side already held is ignored (no pyramiding);
 *   `open` of the other side closes the position, then opens; `close` closes at market (nothing when
 *   flat). The entry carries its stop loss / take profit as the paper engine's linked exits
 *   (a stop order and a limit order, one-cancels-the-other).
 * - Inside a candle the market moves O → H → L → C, or O → L → H → C when the open is nearer the low
 *   (ties: high first), ticking at the open time and at 1/4, 1/2 and 3/4 of the candle, and also at
 *   every resting stop price the path crosses (at a linearly interpolated time). Each tick is an
 *   ordinary paper market tick: stops trigger on the last price and fill against the book there,
 *   limits fill at their price once the touch crosses them — so in a candle that reaches both the
 *   stop and the target, the one the path reaches first fills, and the other is cancelled. A stop
 *   created at a tick (an entry's exits) is live from the next tick on. Ticks where no resting order
 *   could act (the touch straddles the price, so a buy limit needs the price at or below it, a sell
 *   limit at or above; a sell stop the price at or below it, a buy stop at or above) are passed over,
 *   as are all ticks of a candle with nothing open or due; the close always ticks while a position is
 *   open (the equity mark). Fills are the same as ticking everything (the paper-equivalence test
 *   drives a paper server through every tick).
 * - Slippage (`slippage_bps`) widens the book: asks up, bids down by that many basis points of the
 *   price (rounded away to the tick). Takers (market orders, triggered stops) fill that much worse;
 *   resting limits still fill at their own price, once the widened touch crosses it. Fees are paper
 *   trading's: `taker_fee_bps` / `maker_fee_bps` of each fill's value.
 * - Risk: the paper engine's live-account limits (position size, daily loss, drawdown) are off in a
 *   backtest; the balance check stays (an entry whose value exceeds the free balance is denied, and
 *   reported as an `error_occurred` event).
 * - End of data: after the last candle, a resting entry is cancelled and an open position is closed
 *   at market (exit_reason END_OF_DATA); the last equity point is taken after that close.
 * - Records: `equity` once per candle at its close (time = the candle's close time, equity =
 *   balance + unrealized PnL at the close, drawdown from the running peak); `strategy_signal` per
 *   non-hold intent; `order_placed` per order the sandbox accepts (entries, closes, linked exits);
 *   `trade_executed` per fill; `position_closed` and a RunTrade per closed round trip; a `checkpoint`
 *   every `checkpointEvery` candles (default `checkpointInterval`) and at the end; `status_changed` running → completed/stopped.
 *   Order ids are numbered in order of appearance, so a re-run is byte-identical.
 */
import { performance } from 'node:perf_hooks'
import { createRandom, DomainError, drawdown, fromAtoms, isoTime, type DomainEvent } from '../../core'
import { ACTIVE, type Fill, type Order, type OrderRequest } from '../../execution'
import { averagePrice, fromUnits, scalesOf, type Scales } from '../../execution/money'
import type { AccountState, Valuation } from '../../execution/execution-service'
import { floorToStep, type Candle, type CandleColumns, type Instrument } from '../../market'
import { getStrategy } from '../../strategies/registry'
import { positionSize } from '../../strategies/sizing'
import type { CloseIntent, Intent, OpenIntent, StrategyAccount, StrategyDefinition, StrategyInstance } from '../../strategies/types'
import { tradeEventData, type BacktestSpec, type EquityPoint, type RunEvent, type RunMetrics, type RunSink, type RunTrade } from '../types'
import { DecisionContext } from './candle-window'
import { streamColumns } from './stream-columns'
import { RunMetricsTracker } from './metrics'
import { intervalMs, openSandbox, type Sandbox } from './sandbox'
import { checkHistory, MAX_BACKTEST_CANDLES, requiredCandles, validateTerms } from './validate'

/** Pause and resume a running backtest (between time slices). */
export interface BacktestControl {
  readonly paused: boolean
  pause(): void
  resume(): void
  /** Resolves once not paused (at once when running), or when `signal` aborts. */
  whenResumed(signal?: AbortSignal): Promise<void>
}

export function createBacktestControl(): BacktestControl {
  let paused = false
  let waiters: (() => void)[] = []
  return {
    get paused() {
      return paused
    },
    pause() {
      paused = true
    },
    resume() {
      paused = false
      const w = waiters
      waiters = []
      for (const f of w) f()
    },
    whenResumed(signal) {
      if (!paused || signal?.aborted) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done)
          resolve()
        }
        waiters.push(done)
        signal?.addEventListener('abort', done, { once: true })
      })
    },
  }
}

export interface BacktestOptions {
  /** The symbol's instrument (tick, lot, minimums) as the market source defines it. */
  instrument: Instrument
  /** The strategy; default the built-in named `spec.strategy` (STRATEGY_NOT_FOUND otherwise). Its params are `spec.params`, parsed again by its schema. */
  strategy?: StrategyDefinition<any>
  /**
   * Milliseconds of work per time slice; the engine yields to the event loop between slices, so the
   * server answers requests while a long run goes. Default {@link SLICE_MS}.
   */
  sliceMs?: number
  /** Candles per slice instead of a time budget (a test's fixed progress and pause points). */
  sliceCandles?: number
  /** A checkpoint every this many candles (and one at the end). Default {@link checkpointInterval} of the run's length. */
  checkpointEvery?: number
  /** Abort → the run stops at the next slice boundary with status `stopped`. */
  signal?: AbortSignal
  /** Pause/resume between slices. */
  control?: BacktestControl
  /** Called after every slice and at the end. */
  onProgress?: (processed: number, total: number) => void
  /**
   * Called once the run has paused (its `status_changed` paused event emitted, nothing more until it
   * resumes or stops): a runner hands the records so far on, so a paused run reads complete.
   */
  onPaused?: (processed: number, total: number) => void
  /** Fewest candles the run accepts (INSUFFICIENT_HISTORY below). Default {@link requiredCandles} of the strategy and its params. */
  minCandles?: number
  /** Most candles the run accepts (VALIDATION_FAILED above). Default {@link MAX_BACKTEST_CANDLES}. */
  maxCandles?: number
  /** Seeds the synthesised order books. Default `backtest`. */
  bookSeed?: string
  /** Seeds the strategy's random source. Default derived from the spec. */
  seed?: string
}

export interface BacktestResult {
  status: 'completed' | 'stopped'
  processed: number
  total: number
  metrics: RunMetrics
  trades: number
}

type ExitReason = RunTrade['exit_reason']

const DAY_MS = 86_400_000

/**
 * A slice's time budget (ms): long enough that yielding (a few tens of µs) costs nothing, short
 * enough that a request arriving during a run waits a few ms, not the tens of ms a fixed 250-candle
 * slice took when it traded and persisted its records.
 */
export const SLICE_MS = 5

/**
 * Candles between two checkpoints by default: 500, or 1/200 of a run over 100,000 candles (a run has
 * at most 200 checkpoints, each a metrics record, a flush of the records and an execution_update
 * frame). Depends on the run's length only, so a re-run checkpoints at the same candles.
 */
export function checkpointInterval(total: number): number {
  return Math.max(500, Math.ceil(total / 200))
}

/** Candles between two reads of the clock in a time-budgeted slice. */
const CLOCK_EVERY = 16

/**
 * The part of the free balance an entry may use at the decision, leaving room for the move to the
 * next open (where it fills) and for walking the book: paper trading has no leverage, so an entry
 * worth more than the free balance is denied.
 */
export const ENTRY_BALANCE_USE = 0.99

/**
 * An entry's quantity at the decision: `positionSize` (risk fraction of equity over the stop
 * distance, truncated to the lot), capped by what the free balance buys at `entry` after the taker
 * fee and the slippage, times {@link ENTRY_BALANCE_USE}, truncated to the lot.
 */
export function entryQuantity(
  account: Pick<StrategyAccount, 'equity' | 'available'>,
  riskFraction: number,
  entry: number,
  stop: number,
  instrument: Instrument,
  costs: Pick<BacktestSpec, 'taker_fee_bps' | 'slippage_bps'>,
): { quantity: number; capped: boolean } {
  const risked = positionSize({ equity: account.equity, riskFraction, entry, stop, instrument })
  const perUnit = entry * (1 + (costs.taker_fee_bps + costs.slippage_bps) / 10_000)
  const affordable = perUnit > 0 ? floorToStep((account.available * ENTRY_BALANCE_USE) / perUnit, instrument.lotSize) : 0
  return risked > affordable ? { quantity: affordable, capped: true } : { quantity: risked, capped: false }
}

/** What the engine knows of an order the sandbox accepted. */
interface OrderInfo {
  runId: string
  /** Why it was placed: an entry, or the exit reason of a close. */
  role: 'entry' | ExitReason
}

/** A decision waiting for the next open. */
interface Pending {
  intent: OpenIntent | CloseIntent
  /** Entry quantity sized at the decision (open intents). */
  quantity: number
}

/**
 * Run a backtest of `spec` over `candles` (closed candles of spec.symbol at spec.interval, oldest
 * first), writing its records into `sink` in order. Resolves when the run completes or stops;
 * rejects (after an `error_occurred` and a `failed` status event) when it fails. Validation errors
 * (STRATEGY_NOT_FOUND, VALIDATION_FAILED with `details.field` = `params.<key>`, INSUFFICIENT_HISTORY)
 * are thrown before anything is written.
 */
export async function runBacktest(spec: BacktestSpec, candles: CandleColumns, sink: RunSink, options: BacktestOptions): Promise<BacktestResult> {
  validateTerms(spec)
  const strategy = options.strategy ?? getStrategy(spec.strategy)
  const parsed = strategy.params.safeParse(spec.params ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = ['params', ...(issue?.path ?? []).map(String)].join('.')
    throw new DomainError('VALIDATION_FAILED', `Invalid params field "${field}": ${issue?.message ?? 'invalid'}`, { target: 'params', field })
  }
  checkHistory(spec, candles, options.minCandles ?? requiredCandles(strategy, parsed.data), options.maxCandles ?? MAX_BACKTEST_CANDLES)
  const sandbox = openSandbox({ spec, instrument: options.instrument, bookSeed: options.bookSeed ?? 'backtest', epoch: candles.time[0]! })
  let run: BacktestRun | undefined
  streamColumns.started()
  try {
    run = new BacktestRun(sandbox, spec, candles, sink, { ...options, strategy }, parsed.data)
    return await run.execute()
  } finally {
    run?.dispose()
    streamColumns.ended()
    await sandbox.close()
  }
}

class BacktestRun {
  private readonly s: Scales
  private readonly stepMs: number
  private readonly total: number
  private readonly instance: StrategyInstance
  private readonly riskFraction: number
  private readonly st: AccountState
  /** Domain events of the sandbox not yet turned into records. */
  private readonly queue: DomainEvent[] = []
  private readonly orders = new Map<string, OrderInfo>()
  /** Orders just submitted (their `new` event is still to be recorded). */
  private readonly submitted = new Map<string, Order>()
  /** Sandbox orders still active. */
  private readonly open = new Set<string>()
  private nextOrder = 0
  /** The closed round trips and the metrics over them, kept up to date as trades close. */
  private readonly trades: RunMetricsTracker
  private pending: Pending | null = null
  /** The account's mark taken for this candle's decision (the equity point reuses it while `marked`). */
  private readonly mark: Valuation = { equity: 0, exposure: 0 }
  /** The equity point handed to the sink, rewritten every candle (sinks copy what they keep). */
  private readonly point: EquityPoint = { time: 0, equity: 0, balance: 0, drawdown_pct: 0 }
  private marked = false
  /** The candle being replayed, rewritten every candle (nothing keeps it: the market copies, strategies read it during the call). */
  private readonly bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 }
  /** The account the strategy sees, and its position, rewritten every decision. */
  private readonly acct: StrategyAccount = { equity: 0, available: 0, position: null }
  private readonly acctPosition: NonNullable<StrategyAccount['position']> = { side: 'long', quantity: 0, entry_price: 0 }
  /** The strategy's context, moved to each candle. */
  private readonly ctx: DecisionContext
  /** The resting entry limit, if any (sandbox id). */
  private entryLimit: string | null = null
  private peak: number
  private maxDrawdownPct = 0
  private exposedCandles = 0
  private closedThisCandle = false
  private processed = 0
  /** The last fill (ledger sequence) turned into a record. */
  private lastFillSeq = 0
  /** UTC day of the last candle (marks are pruned when it changes). */
  private day = -1

  constructor(
    readonly sandbox: Sandbox,
    readonly spec: BacktestSpec,
    readonly candles: CandleColumns,
    readonly sink: RunSink,
    readonly options: BacktestOptions & { strategy: StrategyDefinition<any> },
    params: { risk_fraction: number } & Record<string, unknown>,
  ) {
    const { instrument } = options
    this.total = candles.time.length
    this.stepMs = intervalMs(spec.interval)
    this.s = scalesOf(instrument)
    this.peak = spec.initial_balance
    this.trades = new RunMetricsTracker(spec.initial_balance)
    this.riskFraction = params.risk_fraction
    this.sandbox.services.events.subscribe((e) => {
      if (e.kind === 'trade_update' || e.kind === 'position_update') this.queue.push(e)
    })
    this.st = this.sandbox.services.execution.state(this.sandbox.userId)
    this.ctx = new DecisionContext(candles, this.bar, this.acct)
    this.instance = options.strategy.create(params, {
      symbol: spec.symbol,
      interval: spec.interval,
      instrument,
      random: createRandom(options.seed ?? `backtest:${spec.strategy}:${spec.symbol}:${spec.interval}:${spec.start_time}`),
      columns: streamColumns.pool,
      storage: candles,
    })
  }

  /** The run is over: the strategy gives back what it holds (its SMC stream's columns). */
  dispose(): void {
    this.instance.dispose?.()
  }

  private emit(event_type: RunEvent['event_type'], time: number, data: Record<string, unknown>): void {
    this.sink.event({ event_type, time, data })
  }

  async execute(): Promise<BacktestResult> {
    const { options } = this
    const byCount = options.sliceCandles !== undefined ? Math.max(1, options.sliceCandles) : 0
    const sliceMs = options.sliceMs ?? SLICE_MS
    let sliceStart = performance.now()
    const every = Math.max(1, options.checkpointEvery ?? checkpointInterval(this.total))
    const t0 = this.candles.time[0]!
    this.emit('status_changed', t0, { status: 'running', total: this.total })
    let time = t0
    if (options.signal?.aborted) return this.stopped(time)
    try {
      for (let i = 0; i < this.total; i++) {
        time = this.step(i)
        const last = i === this.total - 1
        if (last) this.endOfData()
        this.equityPoint(time)
        if (!last && this.processed % every === 0) this.checkpoint(time)
        const sliceDone = byCount > 0 ? this.processed % byCount === 0 : this.processed % CLOCK_EVERY === 0 && performance.now() - sliceStart >= sliceMs
        if (!last && sliceDone) {
          options.onProgress?.(this.processed, this.total)
          await new Promise((resolve) => setImmediate(resolve))
          sliceStart = performance.now()
          if (options.control?.paused && !options.signal?.aborted) {
            this.emit('status_changed', time, { status: 'paused', processed: this.processed, total: this.total })
            options.onPaused?.(this.processed, this.total)
            await options.control.whenResumed(options.signal)
            if (!options.signal?.aborted) this.emit('status_changed', time, { status: 'running', processed: this.processed, total: this.total })
          }
          if (options.signal?.aborted) return this.stopped(time)
        }
      }
    } catch (error) {
      const e = error instanceof DomainError ? error : undefined
      this.emit('error_occurred', time, {
        code: e?.code ?? 'INTERNAL_ERROR',
        message: error instanceof Error ? error.message : String(error),
      })
      this.emit('status_changed', time, { status: 'failed', processed: this.processed, total: this.total })
      throw error
    }
    const metrics = this.checkpoint(time)
    this.emit('status_changed', time, { status: 'completed', processed: this.processed, total: this.total })
    options.onProgress?.(this.processed, this.total)
    return { status: 'completed', processed: this.processed, total: this.total, metrics, trades: this.trades.count }
  }

  /** Stopped (aborted): a checkpoint of what ran, then the status. Positions stay as they are. */
  private stopped(time: number): BacktestResult {
    const metrics = this.checkpoint(time)
    this.emit('status_changed', time, { status: 'stopped', processed: this.processed, total: this.total })
    this.options.onProgress?.(this.processed, this.total)
    return { status: 'stopped', processed: this.processed, total: this.total, metrics, trades: this.trades.count }
  }

  private candle(i: number): Candle {
    const c = this.candles
    const b = this.bar
    b.time = c.time[i]!
    b.open = c.open[i]!
    b.high = c.high[i]!
    b.low = c.low[i]!
    b.close = c.close[i]!
    b.volume = c.volume[i]!
    return b
  }

  /** Candle i: its ticks (when anything is open or due), then the decision at its close. Returns the close time. */
  private step(i: number): number {
    const { replay } = this.sandbox
    const c = this.candle(i)
    const day = Math.floor(c.time / DAY_MS)
    if (day !== this.day) {
      this.day = day
      this.sandbox.pruneMarks(this.st.account.id, day * DAY_MS)
    }
    this.closedThisCandle = false
    let exposed = this.st.positions.size > 0
    if (exposed || this.open.size > 0 || this.pending !== null) {
      // The open ticks when a decision is due there or a resting order could act at that price.
      replay.openCandle(c, this.pending !== null || this.matters(c.open))
      this.flush()
      if (this.pending !== null) {
        this.act(this.pending)
        this.pending = null
        this.flush()
      }
      if (this.st.positions.size > 0 || this.open.size > 0) {
        exposed ||= this.st.positions.size > 0
        // Records after each tick, so the next leg sees the exits an entry just created.
        replay.finishCandle(
          c,
          () => this.triggers(),
          () => this.flush(),
          (price) => this.matters(price),
        )
      } else replay.skipCandle(c)
    } else replay.skipCandle(c)
    if (exposed || this.closedThisCandle || this.st.positions.size > 0) this.exposedCandles++
    replay.closeCandle(c.time)
    const close = c.time + this.stepMs
    this.processed = i + 1
    this.decide(i, close)
    return close
  }

  /** Stop prices of the resting stop orders: where a candle's path must tick. */
  private triggers(): number[] {
    const out: number[] = []
    const { execution } = this.sandbox.services
    for (const id of this.open) {
      const o = execution.order(this.sandbox.userId, id)
      if (o && o.stopPrice !== null && !o.triggered) out.push(fromUnits(o.stopPrice, this.s.priceScale))
    }
    return out
  }

  /**
   * Whether a tick at `price` could make a resting order act: an untriggered stop the price reaches,
   * a triggered stop with quantity left, a limit the touch could cross (the touch straddles the
   * price, so a buy limit needs the price at or below it, a sell limit at or above). Otherwise the
   * tick would only move marks, and the path passes the extreme without it.
   */
  private matters(price: number): boolean {
    const { execution } = this.sandbox.services
    const units = Math.round(price * this.s.priceScale)
    for (const id of this.open) {
      const o = execution.order(this.sandbox.userId, id)
      if (!o) return true
      if (o.stopPrice !== null && !o.triggered) {
        if (o.side === 'sell' ? units <= o.stopPrice : units >= o.stopPrice) return true
      } else if (o.price === null) return true
      else if (o.side === 'buy' ? units <= o.price : units >= o.price) return true
    }
    return false
  }

  private account(): StrategyAccount {
    const p = this.sandbox.services.execution.valuation(this.st, this.mark)
    // A decision changes nothing before the next open: the candle's equity point is this mark.
    this.marked = true
    const pos = this.st.positions.get(this.spec.symbol)
    const a = this.acct
    a.equity = fromAtoms(p.equity)
    a.available = fromAtoms(Math.max(0, p.equity - p.exposure))
    if (pos) {
      const ap = this.acctPosition
      ap.side = pos.side
      ap.quantity = fromUnits(pos.quantity, this.s.qtyScale)
      ap.entry_price = averagePrice(this.s, pos.costBasis, pos.quantity)
      a.position = ap
    } else a.position = null
    return a
  }

  /** The strategy decides on candles[0..i] at the close of candle i. */
  private decide(i: number, time: number): void {
    const c = this.candles
    const account = this.account()
    const intent: Intent = this.instance.onCandle(this.ctx.at(i))
    if (intent.action === 'hold') return
    const data: Record<string, unknown> = { action: intent.action, reason: intent.reason, confidence: intent.confidence, candle_time: isoTime(c.time[i]!) }
    let quantity = 0
    if (intent.action === 'open') {
      const entry = intent.type === 'limit' && intent.price !== undefined ? intent.price : c.close[i]!
      const sized = entryQuantity(account, this.riskFraction, entry, intent.stop_loss, this.options.instrument, this.spec)
      quantity = sized.quantity
      Object.assign(data, {
        side: intent.side,
        order_type: intent.type,
        price: intent.price ?? null,
        stop_loss: intent.stop_loss,
        take_profit: intent.take_profit,
        quantity,
        capped_by_balance: sized.capped,
      })
    }
    this.emit('strategy_signal', time, data)
    // The last candle's decision has no next open to trade at.
    if (i < this.total - 1) this.pending = { intent, quantity }
  }

  /** A pending decision meets the market at the next open. */
  private act(p: Pending): void {
    const { intent } = p
    if (this.entryLimit !== null) {
      // A new decision replaces the entry still resting.
      if (this.open.has(this.entryLimit)) this.cancel(this.entryLimit)
      this.entryLimit = null
    }
    const pos = this.st.positions.get(this.spec.symbol)
    if (intent.action === 'close') {
      if (pos) this.closePosition('SIGNAL')
      return
    }
    if (pos && pos.side === intent.side) return
    if (pos) this.closePosition('SIGNAL')
    const req: OrderRequest = {
      symbol: this.spec.symbol,
      side: intent.side === 'long' ? 'buy' : 'sell',
      type: intent.type,
      quantity: p.quantity,
      stopLoss: intent.stop_loss,
      takeProfit: intent.take_profit,
    }
    if (intent.type === 'limit') {
      req.price = intent.price ?? null
      req.timeInForce = 'GTC'
    }
    const id = this.submit(req, 'entry', { action: 'open', side: intent.side })
    if (id !== null && intent.type === 'limit' && this.open.has(id)) this.entryLimit = id
  }

  private closePosition(reason: ExitReason): void {
    const pos = this.st.positions.get(this.spec.symbol)
    if (!pos) return
    this.submit(
      { symbol: this.spec.symbol, side: pos.side === 'long' ? 'sell' : 'buy', type: 'market', quantity: fromUnits(pos.quantity, this.s.qtyScale) },
      reason,
      { action: 'close', exit_reason: reason },
    )
  }

  /** Submit to the sandbox; returns the sandbox order id, or null (denied: reported as `error_occurred`). */
  private submit(req: OrderRequest, role: OrderInfo['role'], context: Record<string, unknown>): string | null {
    const { execution } = this.sandbox.services
    const res = execution.submit(this.sandbox.userId, req)
    if (!res.ok) {
      this.emit('error_occurred', this.sandbox.clock.now(), {
        code: res.denial.code,
        message: res.denial.message,
        details: res.denial.details,
        ...context,
      })
      return null
    }
    this.info(res.order.id).role = role
    this.submitted.set(res.order.id, res.order)
    // The order's events (placed, fills, exits) are in the queue: records now, so `open` is current.
    this.flush()
    return res.order.id
  }

  private cancel(id: string): void {
    this.sandbox.services.execution.cancel(this.sandbox.userId, id)
    this.flush()
  }

  private info(id: string): OrderInfo {
    let o = this.orders.get(id)
    if (!o) {
      o = { runId: `ord_${++this.nextOrder}`, role: 'entry' }
      this.orders.set(id, o)
    }
    return o
  }

  /** The sandbox's events since the last flush as records, in their order. */
  private flush(): void {
    if (this.queue.length === 0) return
    const events = this.queue.splice(0)
    const { execution } = this.sandbox.services
    const accountId = this.st.account.id
    let fills: Fill[] | undefined
    let nextFill = 0
    const loadFills = (): Fill[] => {
      if (!fills) {
        fills = this.sandbox.fillsAfter(accountId, this.lastFillSeq)
        if (fills.length > 0) this.lastFillSeq = fills[fills.length - 1]!.seq
      }
      return fills
    }
    for (const e of events) {
      const d = e.data as Record<string, unknown>
      if (e.kind === 'trade_update') {
        const id = d.order_id as string
        const status = d.status as Order['status']
        if (ACTIVE.has(status)) this.open.add(id)
        else this.open.delete(id)
        if (status === 'new') this.orderPlaced(id, e.at)
        else if (status === 'filled' || status === 'partially_filled') {
          const f = loadFills()[nextFill++]
          if (f) this.tradeExecuted(f)
        }
      } else if (e.kind === 'position_update' && d.quantity === 0) {
        this.positionClosed(d.position_id as string, e.at, fills ?? loadFills())
      }
    }
  }

  private orderPlaced(id: string, time: number): void {
    const o = this.submitted.get(id) ?? this.sandbox.services.execution.order(this.sandbox.userId, id)
    this.submitted.delete(id)
    if (!o) return
    const info = this.info(id)
    if (o.linkType === 'stop_loss') info.role = 'STOP_LOSS'
    else if (o.linkType === 'take_profit') info.role = 'TAKE_PROFIT'
    const price = (u: number | null): number | null => (u === null ? null : fromUnits(u, this.s.priceScale))
    this.emit('order_placed', time, {
      order_id: info.runId,
      side: o.side,
      type: o.type,
      quantity: fromUnits(o.quantity, this.s.qtyScale),
      price: price(o.price),
      stop_price: price(o.stopPrice),
      stop_loss: price(o.stopLoss),
      take_profit: price(o.takeProfit),
      link_type: o.linkType,
      parent_order_id: o.parentOrderId === null ? null : this.info(o.parentOrderId).runId,
      role: info.role === 'entry' ? 'entry' : 'exit',
    })
  }

  private tradeExecuted(f: Fill): void {
    const info = this.info(f.orderId)
    this.emit('trade_executed', f.createdAt, {
      order_id: info.runId,
      side: f.side,
      price: fromUnits(f.price, this.s.priceScale),
      quantity: fromUnits(f.quantity, this.s.qtyScale),
      fee: fromAtoms(f.commission),
      liquidity: f.liquidity,
      realized_pnl: fromAtoms(f.realizedPnl),
    })
  }

  private positionClosed(positionId: string, time: number, fills: Fill[]): void {
    const trip = this.sandbox.roundTrip(positionId)
    if (!trip) return
    let closing: Fill | undefined
    for (const f of fills) if (f.positionId === positionId) closing = f
    const role = closing ? this.info(closing.orderId).role : 'SIGNAL'
    const t: RunTrade = {
      symbol: trip.symbol,
      direction: trip.side,
      entry_time: trip.openedAt,
      entry_price: trip.entryPrice,
      exit_time: trip.closedAt,
      exit_price: trip.exitPrice,
      quantity: trip.quantity,
      fees: trip.commission,
      pnl: trip.pnl,
      exit_reason: role === 'entry' ? 'SIGNAL' : role,
    }
    this.closedThisCandle = true
    this.trades.add(t)
    this.emit('position_closed', time, tradeEventData(t, { trade_number: this.trades.count }))
    this.sink.trade(t)
  }

  /** After the last candle: cancel a resting entry, close the position at market (END_OF_DATA). */
  private endOfData(): void {
    this.pending = null
    this.marked = false
    if (this.entryLimit !== null && this.open.has(this.entryLimit)) this.cancel(this.entryLimit)
    this.entryLimit = null
    this.closePosition('END_OF_DATA')
  }

  private equityPoint(time: number): void {
    const p = this.marked ? this.mark : this.sandbox.services.execution.valuation(this.st, this.mark)
    this.marked = false
    const equity = fromAtoms(p.equity)
    if (equity > this.peak) this.peak = equity
    const dd = drawdown(this.peak, equity) * 100
    if (dd > this.maxDrawdownPct) this.maxDrawdownPct = dd
    const point = this.point
    point.time = time
    point.equity = equity
    point.balance = fromAtoms(this.st.account.balance)
    point.drawdown_pct = dd
    this.sink.equity(point)
  }

  private checkpoint(time: number): RunMetrics {
    const p = this.sandbox.services.execution.valuation(this.st, { equity: 0, exposure: 0 })
    const m = this.trades.metrics({
      processed: this.processed,
      total: this.total,
      initialBalance: this.spec.initial_balance,
      equity: fromAtoms(p.equity),
      maxDrawdownPct: this.maxDrawdownPct,
      exposedCandles: this.exposedCandles,
    })
    this.emit('checkpoint', time, { ...m })
    this.sink.checkpoint(m)
    return m
  }
}
