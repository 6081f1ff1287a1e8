import { atr } from '../analytics/indicators'
import { fromAtoms, type Clock, type IdFactory } from '../core'
import { orderView, type ExecutionService } from '../execution'
import { closedCandles, INTERVAL_MINUTES, type MarketData } from '../market'
import { entryQuantity } from '../runner'
import { scan, type Preset, type ScanLevel, type ScanResult } from '../scanner'
import { roundPriceToTick } from '../strategies/sizing'
import type { EngineState } from './states'
import type { EngineCandidate, EngineContext, EngineEventKind, EngineSignal } from './types'

/** Closed candles a setup may wait in SIGNAL_WAIT for its confirmation before it is dropped. */
export const SIGNAL_TIMEOUT_CANDLES = 3

/** What one step decided: move to `to` (with why), or stay where it is. */
export interface StepOutcome {
  to: EngineState
  reason: string
  details: Record<string, unknown>
}

export interface CycleDeps {
  clock: Clock
  market: MarketData
  execution: ExecutionService
  ids: IdFactory
  takerFeeBps: number
  signalTimeoutCandles: number
  emit(kind: EngineEventKind, data: Record<string, unknown>): void
}

/** One engine as the cycle sees it. */
export interface CycleEngine {
  owner: string
  userId: string
  preset: Preset
  symbols: string[]
  ctx: EngineContext
}

const iso = (t: number): string => new Date(t).toISOString()
const f = (x: number, d = 2): string => x.toFixed(d)
const intervalMs = (p: Preset): number => INTERVAL_MINUTES[p.scanner.interval] * 60_000
const describe = (l: ScanLevel, d: number): string => `${l.type} ${f(l.price, d)} (${l.touches} touches)`

/**
 * One step of the trading cycle in `state` (one of INITIALIZING … MANAGING): the work of that state
 * and where it leads, or null to stay (waiting for a candle, a confirmation, the position to close).
 * Mutates `e.ctx` (counters, candidate, signal). Throws on a fault (the caller moves to ERROR).
 */
export function advance(d: CycleDeps, e: CycleEngine, state: EngineState): StepOutcome | null {
  switch (state) {
    case 'INITIALIZING':
      return initializing(d, e)
    case 'SCANNING':
      return scanning(d, e)
    case 'LEVEL_BUILDING':
      return levelBuilding(d, e)
    case 'SIGNAL_WAIT':
      return signalWait(d, e)
    case 'SIZING':
      return sizing(d, e)
    case 'EXECUTION':
      return execution(d, e)
    case 'MANAGING':
      return managing(d, e)
    default:
      return null
  }
}

function initializing(d: CycleDeps, e: CycleEngine): StepOutcome {
  const ex = d.execution
  const st = ex.state(e.userId)
  const p = ex.portfolio(st)
  const r = e.preset.risk
  const details = {
    preset: e.preset.name,
    interval: e.preset.scanner.interval,
    symbols: e.symbols.length,
    equity: fromAtoms(p.equity),
    risk_per_trade: r.risk_per_trade,
    stop_atr_multiple: r.stop_atr_multiple,
    take_profit_r: r.take_profit_r,
  }
  const setup = `preset ${e.preset.name} (${e.preset.scanner.interval} candles, risk ${f(r.risk_per_trade * 100)}% per trade, stop ${r.stop_atr_multiple} ATR, target ${r.take_profit_r}R) over ${e.symbols.length} symbols; equity ${f(fromAtoms(p.equity))}`
  if (st.positions.size > 0) {
    e.ctx.realized_at_entry ??= fromAtoms(st.account.realizedPnl)
    return { to: 'MANAGING', reason: `${setup}; ${st.positions.size} position(s) already open: managing them`, details: { ...details, open_positions: [...st.positions.keys()] } }
  }
  return { to: 'SCANNING', reason: `initialized: ${setup}`, details }
}

function scanning(d: CycleDeps, e: CycleEngine): StepOutcome | null {
  const step = intervalMs(e.preset)
  const boundary = Math.floor(d.market.now() / step)
  // One scan per closed candle of the preset's interval: nothing changes in between.
  if (e.ctx.last_scan?.boundary === boundary) return null
  const now = d.clock.now()
  const result = scan(d.market, e.symbols, e.preset, now, { newId: d.ids })
  e.ctx.counters.cycles++
  const { rejected, ...shown } = result
  d.emit('scan_result', { ...shown, rejected_count: rejected.length })

  let picked: { c: ScanResult['candidates'][number]; candleTime: number } | undefined
  for (const c of result.candidates) {
    if (c.direction === null) continue
    const cols = closedCandles(d.market, c.symbol, e.preset.scanner.interval, 1)
    const candleTime = cols.time[cols.time.length - 1]
    if (candleTime === undefined || e.ctx.taken[c.symbol] === candleTime) continue
    picked = { c, candleTime }
    break
  }
  const anyCandle = picked?.candleTime ?? lastClosedTime(d.market, e.symbols[0], e.preset)
  e.ctx.last_scan = {
    scan_id: result.scan_id,
    at: iso(now),
    candle_time: anyCandle === undefined ? null : iso(anyCandle),
    total_scanned: result.total_scanned,
    passed_filters: result.passed_filters,
    boundary,
  }
  if (!picked) return null
  const { c, candleTime } = picked
  e.ctx.counters.candidates++
  const candidate: EngineCandidate = {
    symbol: c.symbol,
    direction: c.direction!,
    rank: c.rank,
    score: c.score,
    price: c.price,
    scan_id: result.scan_id,
    candle_time: iso(candleTime),
    atr: c.metrics.atr,
    volume_ratio: c.metrics.volume_ratio,
    levels: c.levels,
    reasons: c.reasons,
    trigger_level: null,
    invalidation_level: null,
  }
  e.ctx.candidate = candidate
  e.ctx.signal = null
  return {
    to: 'LEVEL_BUILDING',
    reason: `scan ${result.scan_id}: ${result.passed_filters} of ${result.total_scanned} symbols passed; ${c.symbol} ranked ${c.rank} (score ${f(c.score, 4)}, ${c.direction}, close ${c.price}): ${c.reasons.join('; ')}`,
    details: { scan_id: result.scan_id, total_scanned: result.total_scanned, passed_filters: result.passed_filters, symbol: c.symbol, rank: c.rank, score: c.score, direction: c.direction, price: c.price },
  }
}

function lastClosedTime(market: MarketData, symbol: string | undefined, p: Preset): number | undefined {
  if (symbol === undefined) return undefined
  const cols = closedCandles(market, symbol, p.scanner.interval, 1)
  return cols.time[cols.time.length - 1]
}

function levelBuilding(d: CycleDeps, e: CycleEngine): StepOutcome {
  const c = e.ctx.candidate
  if (!c) return dropped(e, 'no candidate to build levels for')
  const dec = d.market.requireInstrument(c.symbol).pricePrecision
  const cols = closedCandles(d.market, c.symbol, e.preset.scanner.interval, 2)
  const n = cols.close.length
  if (n < 2) return dropped(e, `${c.symbol}: fewer than 2 closed candles`)
  const close = cols.close[n - 1]!
  const prev = cols.close[n - 2]!
  const up = c.direction === 'up'
  const with_ = c.levels.filter((l) => l.type === (up ? 'resistance' : 'support'))
  const against = c.levels.filter((l) => l.type === (up ? 'support' : 'resistance'))
  // The level the last candle broke (levels are ranked: the first is the strongest), else the
  // nearest one still ahead of the price.
  const broken = with_.find((l) => (up ? prev <= l.price && close > l.price : prev >= l.price && close < l.price))
  const ahead = with_.filter((l) => (up ? l.price >= close : l.price <= close)).sort((a, b) => Math.abs(a.price - close) - Math.abs(b.price - close))[0]
  const trigger = broken ?? ahead
  const behind = against.filter((l) => (up ? l.price < close : l.price > close)).sort((a, b) => Math.abs(a.price - close) - Math.abs(b.price - close))[0] ?? null
  const levelsText = c.levels.map((l) => describe(l, dec)).join(', ') || 'none'
  if (!trigger) return dropped(e, `${c.symbol}: no ${up ? 'resistance' : 'support'} to break ${up ? 'above' : 'below'} ${f(close, dec)} (levels: ${levelsText})`)
  c.trigger_level = trigger
  c.invalidation_level = behind
  return {
    to: 'SIGNAL_WAIT',
    reason: `${c.symbol}: trigger ${describe(trigger, dec)}${broken ? `, broken by the last close ${f(close, dec)}` : `, ${f((Math.abs(trigger.price - close) / close) * 100)}% from the close ${f(close, dec)}`}; invalidation ${behind ? describe(behind, dec) : 'none'} (levels: ${levelsText})`,
    details: { symbol: c.symbol, direction: c.direction, trigger_level: trigger, invalidation_level: behind, close, broken: broken !== undefined, levels: c.levels },
  }
}

/** Drop the setup and scan again. */
function dropped(e: CycleEngine, reason: string, details: Record<string, unknown> = {}): StepOutcome {
  e.ctx.candidate = null
  e.ctx.signal = null
  return { to: 'SCANNING', reason, details }
}

function signalWait(d: CycleDeps, e: CycleEngine): StepOutcome | null {
  const c = e.ctx.candidate
  if (!c || !c.trigger_level) return dropped(e, 'no setup to wait on')
  const s = e.preset.scanner
  const dec = d.market.requireInstrument(c.symbol).pricePrecision
  const cols = closedCandles(d.market, c.symbol, s.interval, s.volume_lookback + 1)
  const n = cols.close.length
  if (n < s.volume_lookback + 1) return dropped(e, `${c.symbol}: not enough closed candles for the volume confirmation`)
  const last = n - 1
  const close = cols.close[last]!
  const time = cols.time[last]!
  let sum = 0
  for (let i = last - s.volume_lookback; i < last; i++) sum += cols.volume[i]!
  const avg = sum / s.volume_lookback
  const ratio = avg > 0 ? cols.volume[last]! / avg : 0
  const up = c.direction === 'up'
  const level = c.trigger_level.price
  const beyond = up ? close > level : close < level
  if (beyond && ratio >= s.min_volume_ratio && e.ctx.taken[c.symbol] !== time) {
    const now = d.clock.now()
    const signal: EngineSignal = {
      symbol: c.symbol,
      direction: c.direction,
      side: up ? 'long' : 'short',
      level,
      close,
      volume_ratio: Math.round(ratio * 1e4) / 1e4,
      candle_time: iso(time),
      confirmed_at: iso(now),
      sizing: null,
      order: null,
    }
    e.ctx.signal = signal
    e.ctx.taken[c.symbol] = time
    e.ctx.counters.signals++
    d.emit('signal', { ...signal })
    return {
      to: 'SIZING',
      reason: `${c.symbol}: ${up ? 'breakout' : 'breakdown'} confirmed — close ${f(close, dec)} ${up ? 'above' : 'below'} ${c.trigger_level.type} ${f(level, dec)} on ${f(ratio)}× the average volume (min ${s.min_volume_ratio}×)`,
      details: { symbol: c.symbol, side: signal.side, level, close, volume_ratio: signal.volume_ratio, candle_time: signal.candle_time },
    }
  }
  const inv = c.invalidation_level
  if (inv && (up ? close < inv.price : close > inv.price)) {
    e.ctx.counters.signals_expired++
    return dropped(e, `${c.symbol}: setup invalidated — close ${f(close, dec)} ${up ? 'below' : 'above'} ${inv.type} ${f(inv.price, dec)}`, { symbol: c.symbol, close, invalidation_level: inv })
  }
  const waited = Math.round((time - Date.parse(c.candle_time)) / intervalMs(e.preset))
  if (waited >= d.signalTimeoutCandles) {
    e.ctx.counters.signals_expired++
    return dropped(e, `${c.symbol}: no confirmation within ${d.signalTimeoutCandles} candles (last close ${f(close, dec)}, level ${f(level, dec)}, volume ${f(ratio)}× vs ${s.min_volume_ratio}×)`, {
      symbol: c.symbol,
      candles_waited: waited,
    })
  }
  return null
}

function sizing(d: CycleDeps, e: CycleEngine): StepOutcome {
  const sig = e.ctx.signal
  if (!sig) return dropped(e, 'no signal to size')
  const inst = d.market.requireInstrument(sig.symbol)
  const dec = inst.pricePrecision
  const s = e.preset.scanner
  const r = e.preset.risk
  const cols = closedCandles(d.market, sig.symbol, s.interval, s.lookback)
  const atrValue = atr(cols.high, cols.low, cols.close, s.atr_period)[cols.close.length - 1]
  if (atrValue === undefined || !(atrValue > 0)) return dropped(e, `${sig.symbol}: no ATR(${s.atr_period}) to place the stop`)
  const ticker = d.market.ticker(sig.symbol)
  const long = sig.side === 'long'
  const entry = long ? ticker.ask : ticker.bid
  const stop = roundPriceToTick(long ? entry - r.stop_atr_multiple * atrValue : entry + r.stop_atr_multiple * atrValue, inst.tickSize, long ? 'down' : 'up')
  const distance = Math.abs(entry - stop)
  const takeProfit = roundPriceToTick(long ? entry + r.take_profit_r * distance : entry - r.take_profit_r * distance, inst.tickSize, 'nearest')
  const ex = d.execution
  const st = ex.state(e.userId)
  const p = ex.portfolio(st)
  const equity = fromAtoms(p.equity)
  const available = fromAtoms(Math.max(0, p.equity - p.exposure))
  const { quantity, capped } = entryQuantity({ equity, available }, r.risk_per_trade, entry, stop, inst, { taker_fee_bps: d.takerFeeBps, slippage_bps: 0 })
  const riskAmount = equity * r.risk_per_trade
  const raw = distance > 0 ? riskAmount / distance : 0
  sig.sizing = {
    entry,
    atr: atrValue,
    stop_atr_multiple: r.stop_atr_multiple,
    stop_loss: stop,
    stop_distance: Math.round(distance * 1e10) / 1e10,
    take_profit_r: r.take_profit_r,
    take_profit: takeProfit,
    equity,
    risk_per_trade: r.risk_per_trade,
    risk_amount: Math.round(riskAmount * 1e8) / 1e8,
    raw_quantity: raw,
    quantity,
    lot_size: inst.lotSize,
    capped,
  }
  const figures = `risk ${f(r.risk_per_trade * 100)}% × equity ${f(equity)} = ${f(riskAmount)} over a stop distance of ${f(distance, dec)} (${r.stop_atr_multiple} × ATR(${s.atr_period}) ${f(atrValue, dec + 2)} from the entry ${f(entry, dec)}, stop ${f(stop, dec)})`
  if (quantity === 0)
    return dropped(e, `${sig.symbol}: size 0 — ${figures} buys less than the minimum quantity ${inst.minQuantity}`, { ...sig.sizing })
  return {
    to: 'EXECUTION',
    reason: `${sig.symbol}: ${figures} = ${raw.toFixed(6)} → ${quantity} on the lot ${inst.lotSize}${capped ? ' (capped by the free balance)' : ''}; target ${f(takeProfit, dec)} (${r.take_profit_r}R)`,
    details: { symbol: sig.symbol, side: sig.side, ...sig.sizing },
  }
}

function execution(d: CycleDeps, e: CycleEngine): StepOutcome {
  const sig = e.ctx.signal
  const z = sig?.sizing
  if (!sig || !z) return dropped(e, 'no sized signal to execute')
  const ex = d.execution
  const st = ex.state(e.userId)
  const realizedBefore = fromAtoms(st.account.realizedPnl)
  const res = ex.submit(e.userId, {
    symbol: sig.symbol,
    side: sig.side === 'long' ? 'buy' : 'sell',
    type: 'market',
    quantity: z.quantity,
    stopLoss: z.stop_loss,
    takeProfit: z.take_profit,
  })
  if (!res.ok) {
    e.ctx.counters.orders_denied++
    return dropped(e, `${sig.symbol}: order denied — ${res.denial.code}: ${res.denial.message}`, { symbol: sig.symbol, code: res.denial.code, denial: res.denial.details })
  }
  e.ctx.counters.orders_placed++
  const v = orderView(res.order, d.market)
  sig.order = { order_id: v.order_id, status: v.status, filled_quantity: v.filled_quantity, average_price: v.average_price, submitted_at: iso(d.clock.now()) }
  if (!st.positions.has(sig.symbol))
    return dropped(e, `${sig.symbol}: order ${v.order_id} ended ${v.status} without a position${v.reject_reason ? ` (${v.reject_reason})` : ''}`, { symbol: sig.symbol, order: sig.order })
  e.ctx.counters.positions_opened++
  e.ctx.realized_at_entry = realizedBefore
  const dec = d.market.requireInstrument(sig.symbol).pricePrecision
  return {
    to: 'MANAGING',
    reason: `${sig.symbol}: market ${sig.side === 'long' ? 'buy' : 'sell'} ${v.order_id} ${v.status} ${v.filled_quantity} at ${v.average_price === null ? '—' : f(v.average_price, dec)}; stop loss ${f(z.stop_loss, dec)}, take profit ${f(z.take_profit, dec)}`,
    details: { symbol: sig.symbol, ...sig.order, stop_loss: z.stop_loss, take_profit: z.take_profit },
  }
}

function managing(d: CycleDeps, e: CycleEngine): StepOutcome | null {
  const st = d.execution.state(e.userId)
  if (st.positions.size > 0) return null
  const realized = fromAtoms(st.account.realizedPnl)
  const pnl = e.ctx.realized_at_entry === null ? null : Math.round((realized - e.ctx.realized_at_entry) * 1e8) / 1e8
  const symbol = e.ctx.signal?.symbol ?? e.ctx.candidate?.symbol ?? null
  e.ctx.counters.positions_closed++
  e.ctx.realized_at_entry = null
  return dropped(e, `${symbol ?? 'position'} closed${pnl === null ? '' : `: realized PnL ${f(pnl)} (before commission)`}; scanning again`, { symbol, realized_pnl: pnl })
}
