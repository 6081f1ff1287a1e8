import type { Candles } from '@smc-trading/smc'
import { createRandom, fromAtoms, idFactory, type Clock, type IdFactory } from '../core'
import { ACTIVE, positionView, type ExecutionService, type OrderRequest } from '../execution'
import { closedCandles, floorToStep, type Instrument, type Interval, type MarketData } from '../market'
import type { SettingsService } from '../settings'
import { positionSize } from '../strategies/sizing'
import { candleAt, type Intent, type StrategyAccount, type StrategyInstance } from '../strategies/types'
import { unitOfWork, type Db, type DecisionAction, type RunnerRepository, type StrategyAccountRow, type StrategyDecisionRow, type UnitOfWork } from '../store'
import { strategyUserId } from './user-ids'
import { decisionView } from './decisions'
import type { RunnerEventSink, StrategyCatalog } from './types'

/**
 * Closed candles a new strategy instance is warmed up with (its first cycle feeds them all, acting
 * on the newest only); afterwards each cycle feeds just the candles closed since.
 */
export const WARMUP_CANDLES = 500

/** What one account's turn in a cycle did. */
export interface AccountOutcome {
  accountId: string
  ownerId: string
  decisions: StrategyDecisionRow[]
  /** The first failure (a strategy threw, or the account could not be run), or null. */
  failure: { symbol: string | null; message: string } | null
  ordersPlaced: number
  ordersDenied: number
  positionsOpened: number
  positionsClosed: number
}

export interface StrategyRunnerOptions {
  db: Db
  clock: Clock
  market: MarketData
  settings: SettingsService
  execution: ExecutionService
  strategies: StrategyCatalog
  repo: RunnerRepository
  ids?: IdFactory
  onEvent?: RunnerEventSink
  warmupCandles?: number
  /** Taker fee of the paper exchange (bps; env PAPER_TAKER_FEE_BPS), for sizing entries within the free balance. Default 10. */
  takerFeeBps?: number
}

/** A live strategy instance of one account and symbol, and how far it has read. */
interface Slot {
  instance: StrategyInstance
  /** Open time of the last candle fed (−∞ before the first). */
  lastTime: number
  /** Strategy, interval and parameters it was built with: a change rebuilds it. */
  key: string
  /** A limit entry it placed that had not (completely) filled when placed: the next non-hold decision cancels what is left of it. */
  resting: string | null
}

/** Closed candles of one series at one market instant, and prefix views made from them so far. */
interface Series {
  at: number
  cols: Candles
  prefixes: Candles[]
}

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

/** The first `length` candles as views (no copy). */
function prefix(c: Candles, length: number): Candles {
  if (length === c.close.length) return c
  const out = {} as Candles
  for (const f of FIELDS) out[f] = c[f].subarray(0, length)
  return out
}

const finite01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

/**
 * Runs the strategies of one account for one cycle: feeds each symbol's strategy instance the
 * closed candles it has not seen (instances persist across cycles, so their streaming state is
 * incremental), turns the newest intent into orders through the execution service (the same
 * validation, risk checks and ledger as a user's orders; a denial is recorded, not retried), and
 * records one decision per symbol.
 *
 * Orders follow the backtest engine's rules, so a strategy trades here as it does in a backtest:
 * `open` → a market (or GTC limit) order sized at the decision by {@link entryQuantity} (risk
 * fraction of equity over the stop distance, capped by the free balance) with the intent's stop
 * loss and take profit as linked exits; an open position of the other side is closed first, one of
 * the same side is kept (no order). `close` → a market order of the opposite side for the
 * position's quantity (none when flat). A limit entry still working (even partly filled) when the
 * next non-hold decision comes is cancelled first.
 */
export class StrategyRunner {
  private readonly slots = new Map<string, Map<string, Slot>>()
  /** Change counter: when each account last changed, and the count when accounts were last listed. */
  private version = 0
  private listedAt = 0
  private readonly changedAt = new Map<string, number>()
  private readonly ids: IdFactory
  private readonly uow: UnitOfWork
  private readonly warmup: number
  private readonly takerFeeBps: number
  /**
   * Closed candles by symbol and interval at one market instant: accounts on the same series share
   * one read, and the prefix views warm-ups feed.
   */
  private readonly candles = new Map<string, Series>()

  constructor(private readonly o: StrategyRunnerOptions) {
    this.ids = o.ids ?? idFactory()
    this.uow = unitOfWork(o.db)
    this.warmup = o.warmupCandles ?? WARMUP_CANDLES
    this.takerFeeBps = o.takerFeeBps ?? 10
  }

  /** Drop an account's strategy instances (its parameters or symbols changed, it was deactivated or deleted). */
  forget(accountId: string): void {
    this.slots.delete(accountId)
    this.changedAt.set(accountId, ++this.version)
  }

  /** Accounts a cycle runs, oldest first. */
  activeAccounts(): StrategyAccountRow[] {
    this.listedAt = this.version
    return this.o.repo.activeAccounts()
  }

  /**
   * An account listed by {@link activeAccounts} as it is now: the listed row unless it changed
   * since (a cycle yields between accounts), then re-read; undefined once inactive or deleted.
   */
  current(listed: StrategyAccountRow): StrategyAccountRow | undefined {
    if ((this.changedAt.get(listed.id) ?? 0) <= this.listedAt) return listed
    const r = this.o.repo.account(listed.id)
    return r?.active ? r : undefined
  }

  /** Instances held in memory (tests and metrics). */
  instanceCount(): number {
    let n = 0
    for (const m of this.slots.values()) n += m.size
    return n
  }

  /** Run one account's turn of cycle `cycleId`; never throws (failures are recorded in the outcome). */
  runAccount(row: StrategyAccountRow, cycleId: string): AccountOutcome {
    const out: AccountOutcome = {
      accountId: row.id,
      ownerId: row.ownerId,
      decisions: [],
      failure: null,
      ordersPlaced: 0,
      ordersDenied: 0,
      positionsOpened: 0,
      positionsClosed: 0,
    }
    const now = this.o.clock.now()
    const key = `${row.strategy}|${row.interval}|${JSON.stringify(row.params)}`
    let slots = this.slots.get(row.id)
    if (!slots) this.slots.set(row.id, (slots = new Map()))
    for (const symbol of row.symbols) {
      try {
        this.runSymbol(row, symbol, key, slots, cycleId, now, out)
      } catch (err) {
        // Anything unexpected (not the strategy's own throw, handled below): recorded, the rest goes on.
        const message = err instanceof Error ? err.message : String(err)
        out.failure ??= { symbol, message }
        out.decisions.push(this.decision(row, cycleId, symbol, now, { action: 'HOLD', confidence: 0, reasoning: `not run: ${message}` }, { code: 'INTERNAL_ERROR', message }))
      }
    }
    for (const s of [...slots.keys()]) if (!row.symbols.includes(s)) slots.delete(s)
    if (out.decisions.length > 0) this.uow.run(() => this.o.repo.insertDecisions(out.decisions))
    const emit = this.o.onEvent
    if (emit)
      for (const d of out.decisions) {
        try {
          emit('strategy_event', { type: 'decision', account_id: row.id, decision: decisionView(d) }, row.ownerId)
        } catch {
          // A failing listener never fails the account's turn: its decisions are stored.
        }
      }
    return out
  }

  private runSymbol(
    row: StrategyAccountRow,
    symbol: string,
    key: string,
    slots: Map<string, Slot>,
    cycleId: string,
    now: number,
    out: AccountOutcome,
  ): void {
    const { market, settings, execution: ex } = this.o
    const instrument = market.instrument(symbol)
    if (!instrument || !settings.isSymbolEnabled(symbol)) {
      out.decisions.push(
        this.decision(row, cycleId, symbol, now, { action: 'HOLD', confidence: 0, reasoning: `${symbol} is not tradable now` }, {
          code: 'INVALID_SYMBOL',
          message: `Symbol ${symbol} is unknown or disabled`,
        }),
      )
      return
    }
    const interval = row.interval as Interval
    const series = this.closed(symbol, interval)
    const cols = series.cols
    const n = cols.close.length
    let slot = slots.get(symbol)
    if (!slot || slot.key !== key) {
      const def = this.o.strategies.definition(row.strategy)
      if (!def) throw new Error(`strategy ${row.strategy} is no longer available`)
      slot = { instance: def.create(row.params as never, { symbol, interval, instrument, random: createRandom(`${row.id}:${symbol}`) }), lastTime: -Infinity, key, resting: null }
      slots.set(symbol, slot)
    }
    let first = n
    while (first > 0 && cols.time[first - 1]! > slot.lastTime) first--
    if (first === n) {
      const last = n > 0 ? cols.time[n - 1]! : null
      out.decisions.push(
        this.decision(row, cycleId, symbol, now, {
          action: 'HOLD',
          confidence: 0,
          reasoning: last === null ? 'no closed candle yet' : `no ${interval} candle closed since the last cycle`,
          candleTime: last,
          indicators: last === null ? {} : candleValues(cols, n - 1),
        }),
      )
      return
    }

    const userId = strategyUserId(row.id)
    const st = ex.state(userId)
    const account = this.accountFor(st, symbol)
    let intent: Intent | undefined
    try {
      for (let i = first; i < n; i++) {
        intent = slot.instance.onCandle({ candles: i === n - 1 ? cols : (series.prefixes[i] ??= prefix(cols, i + 1)), index: i, candle: candleAt(cols, i), account })
        slot.lastTime = cols.time[i]!
      }
    } catch (err) {
      // The instance's state is suspect: the next cycle builds a fresh one (warmed up again).
      slots.delete(symbol)
      const message = err instanceof Error ? err.message : String(err)
      out.failure ??= { symbol, message }
      out.decisions.push(
        this.decision(row, cycleId, symbol, now, { action: 'HOLD', confidence: 0, reasoning: `strategy failed: ${message}`, candleTime: cols.time[n - 1]! }, {
          code: 'STRATEGY_ERROR',
          message,
        }),
      )
      return
    }
    const it = intent!
    const candleTime = cols.time[n - 1]!
    const indicators = indicatorsOf(it, slot.instance, cols, n - 1)
    const confidence = finite01(it.confidence)
    const base = { confidence, candleTime, indicators }
    const before = st.positions.get(symbol)?.id

    if (it.action === 'hold') {
      out.decisions.push(this.decision(row, cycleId, symbol, now, { ...base, action: 'HOLD', reasoning: it.reason }))
      return
    }
    // A limit entry of an earlier decision still resting gives way to this one (as in a backtest).
    if (slot.resting !== null) {
      const o = ex.order(userId, slot.resting)
      if (o && ACTIVE.has(o.status)) ex.cancel(userId, slot.resting)
      slot.resting = null
    }
    const held = st.positions.get(symbol)
    if (it.action === 'close') {
      if (!held) {
        out.decisions.push(this.decision(row, cycleId, symbol, now, { ...base, action: 'CLOSE', reasoning: `${it.reason} (no open position: nothing to close)` }))
        return
      }
      const r = this.submitClose(userId, symbol, held)
      this.count(out, st.positions.get(symbol)?.id, before, r.ok)
      out.decisions.push(this.decision(row, cycleId, symbol, now, { ...base, action: 'CLOSE', reasoning: it.reason, orderId: r.orderId }, r.error))
      return
    }

    // open: sized at the decision, as a backtest sizes it (the account the strategy saw, the
    // decision candle's close or the limit price, capped by what the free balance buys after fees).
    const action: DecisionAction = it.side === 'long' ? 'BUY' : 'SELL'
    if (held && held.side === it.side) {
      out.decisions.push(this.decision(row, cycleId, symbol, now, { ...base, action, reasoning: `${it.reason} (${held.side} already open: no new order)` }))
      return
    }
    const entry = it.type === 'limit' && it.price !== undefined ? it.price : cols.close[n - 1]!
    const { quantity } = entryQuantity(account, row.params.risk_fraction as number, entry, it.stop_loss, instrument, {
      taker_fee_bps: this.takerFeeBps,
      slippage_bps: 0,
    })
    if (held) {
      const c = this.submitClose(userId, symbol, held)
      if (!c.ok) {
        this.count(out, st.positions.get(symbol)?.id, before, false)
        out.decisions.push(this.decision(row, cycleId, symbol, now, { ...base, action, reasoning: `${it.reason} (closing the ${held.side} first failed)` }, c.error))
        return
      }
      out.ordersPlaced++
    }
    if (quantity === 0) {
      this.count(out, st.positions.get(symbol)?.id, before, false)
      out.decisions.push(
        this.decision(row, cycleId, symbol, now, { ...base, action, reasoning: it.reason }, {
          code: 'INVALID_ORDER_SIZE',
          message: `The risk budget (${String(row.params.risk_fraction)} of equity over a stop distance of ${Math.abs(entry - it.stop_loss)}) or the free balance buys less than the minimum quantity of ${symbol}`,
        }),
      )
      return
    }
    const req: OrderRequest = {
      symbol,
      side: it.side === 'long' ? 'buy' : 'sell',
      type: it.type,
      quantity,
      price: it.type === 'limit' ? (it.price ?? null) : null,
      ...(it.type === 'limit' ? { timeInForce: 'GTC' as const } : {}),
      stopLoss: it.stop_loss,
      takeProfit: it.take_profit,
    }
    const res = ex.submit(userId, req)
    if (res.ok && it.type === 'limit' && ACTIVE.has(res.order.status)) slot.resting = res.order.id
    this.count(out, st.positions.get(symbol)?.id, before, res.ok)
    out.decisions.push(
      this.decision(
        row,
        cycleId,
        symbol,
        now,
        { ...base, action, reasoning: it.reason, orderId: res.ok ? res.order.id : null },
        res.ok ? null : { code: res.denial.code, message: res.denial.message },
      ),
    )
  }

  private closed(symbol: string, interval: Interval): Series {
    const key = `${symbol}|${interval}`
    const at = this.o.market.now()
    const hit = this.candles.get(key)
    if (hit && hit.at === at) return hit
    const series: Series = { at, cols: closedCandles(this.o.market, symbol, interval, this.warmup), prefixes: [] }
    this.candles.set(key, series)
    return series
  }

  private submitClose(userId: string, symbol: string, held: { side: 'long' | 'short' } & Parameters<typeof positionView>[0]) {
    const ex = this.o.execution
    const quantity = positionView(held, this.o.market, (s) => ex.mark(s)).quantity
    const res = ex.submit(userId, { symbol, side: held.side === 'long' ? 'sell' : 'buy', type: 'market', quantity })
    return res.ok
      ? { ok: true as const, orderId: res.order.id, error: null }
      : { ok: false as const, orderId: null, error: { code: res.denial.code, message: res.denial.message } }
  }

  private count(out: AccountOutcome, after: string | undefined, before: string | undefined, placed: boolean): void {
    if (placed) out.ordersPlaced++
    else out.ordersDenied++
    if (after !== undefined && after !== before) out.positionsOpened++
    if (before !== undefined && after !== before) out.positionsClosed++
  }

  /** The account as the strategy sees it for `symbol`. */
  private accountFor(st: ReturnType<ExecutionService['state']>, symbol: string): StrategyAccount {
    const ex = this.o.execution
    const p = ex.portfolio(st)
    const pos = st.positions.get(symbol)
    let position: StrategyAccount['position'] = null
    if (pos) {
      const v = positionView(pos, this.o.market, (s) => ex.mark(s))
      position = { side: pos.side, quantity: v.quantity, entry_price: v.entry_price }
    }
    return { equity: fromAtoms(p.equity), available: fromAtoms(Math.max(0, p.equity - p.exposure)), position }
  }

  private decision(
    row: StrategyAccountRow,
    cycleId: string,
    symbol: string,
    now: number,
    d: {
      action: DecisionAction
      confidence: number
      reasoning: string
      candleTime?: number | null
      indicators?: Record<string, number | null>
      orderId?: string | null
    },
    error: { code: string; message: string } | null = null,
  ): StrategyDecisionRow {
    return {
      id: this.ids('dec'),
      accountId: row.id,
      cycleId,
      symbol,
      action: d.action,
      confidence: d.confidence,
      reasoning: d.reasoning,
      indicators: d.indicators ?? {},
      candleTime: d.candleTime ?? null,
      orderId: d.orderId ?? null,
      errorCode: error?.code ?? null,
      errorMessage: error?.message ?? null,
      createdAt: now,
    }
  }
}

/** Share of the free balance an entry may use (the backtest engine's ENTRY_BALANCE_USE). */
export const ENTRY_BALANCE_USE = 0.99

/**
 * An entry's quantity at the decision, exactly as the backtest engine sizes it (backtest/engine/run.ts
 * `entryQuantity`, kept equal by a test; not imported, so the runner does not load the backtest
 * sandbox and its services): `positionSize` (risk fraction of equity over the stop distance, on the
 * lot), capped by what the free balance buys at `entry` after the taker fee and slippage, × 0.99.
 */
export function entryQuantity(
  account: Pick<StrategyAccount, 'equity' | 'available'>,
  riskFraction: number,
  entry: number,
  stop: number,
  instrument: Instrument,
  costs: { taker_fee_bps: number; slippage_bps: number },
): { quantity: number; capped: boolean } {
  const risked = positionSize({ equity: account.equity, riskFraction, entry, stop, instrument })
  const perUnit = entry * (1 + (costs.taker_fee_bps + costs.slippage_bps) / 10_000)
  const affordable = perUnit > 0 ? floorToStep((account.available * ENTRY_BALANCE_USE) / perUnit, instrument.lotSize) : 0
  return risked > affordable ? { quantity: affordable, capped: true } : { quantity: risked, capped: false }
}

/** OHLCV of candle `i`: what every decision used, whatever the strategy. */
function candleValues(c: Candles, i: number): Record<string, number | null> {
  return { open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }
}

/**
 * The indicator values behind a decision: the candle's OHLCV, plus what the strategy reports — an
 * `indicators` object on the intent, or an `indicators()` method on the instance (optional; the
 * Strategy interface does not require either). Non-finite numbers become null.
 */
function indicatorsOf(intent: Intent, instance: StrategyInstance, c: Candles, i: number): Record<string, number | null> {
  const out = candleValues(c, i)
  const fromIntent = (intent as { indicators?: unknown }).indicators
  const probe = (instance as { indicators?: () => unknown }).indicators
  const extra = fromIntent ?? (typeof probe === 'function' ? probe.call(instance) : undefined)
  if (extra && typeof extra === 'object')
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) if (typeof v === 'number' || v === null) out[k] = v !== null && Number.isFinite(v) ? v : null
  return out
}
