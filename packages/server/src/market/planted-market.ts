import type { Clock } from '../core'
import { partialCandle } from './candle-path'
import { MINUTE_MS } from './intervals'
import { SeriesMarket } from './series-market'
import type { Candle, MarketData, TickListener } from './types'

/** One 1m candle of a planted price path (its time is given by its place in the path). */
export interface PlantedCandle {
  open: number
  high: number
  low: number
  close: number
  /** Default 1. */
  volume?: number
}

/** Where a planted path sits on the clock. */
export interface PlantedPath {
  symbol: string
  /** Open time (ms) of the first planted candle: the next minute boundary at or after the clock. */
  from: number
  /** Close time (ms) of the last planted candle. */
  to: number
}

/** A market whose symbols can be switched, one by one, from the base market to a planted price path. */
export interface PlantedMarket extends MarketData {
  /**
   * Make `symbol` follow `candles`, one a minute from the next minute boundary on (after any path
   * planted before), each walked open → extreme → extreme → close as the clock moves, so stops and
   * resting orders see every extreme. The symbol keeps the base market's history up to now; after the
   * path it stays flat at the last close.
   */
  plant(symbol: string, candles: readonly PlantedCandle[]): PlantedPath
  /** Whether `symbol` follows a planted path. */
  isPlanted(symbol: string): boolean
}

interface Path {
  candles: Candle[]
  /** Next candle to put whole. */
  next: number
  /** Close of the last candle put whole: the flat price after the path. */
  last: number
}

/**
 * Wraps a market (the simulated one in test servers) so a test can plant price paths: the ephemeral
 * server's way to make a bot's stop loss trigger on purpose. Symbols without a path read the base
 * market unchanged.
 */
export function createPlantedMarket(base: MarketData, clock: Clock, seed = '42'): PlantedMarket {
  const symbols = base.symbols()
  const core = new SeriesMarket(
    symbols.map((s) => base.requireInstrument(s)),
    1,
    `${seed}:planted`,
  )
  const view = core.marketData({ advance: () => {}, start: () => {}, stop: () => {}, lastUpdate: () => base.lastUpdate(), status: () => base.status() })
  const paths = new Map<string, Path>()
  const listeners = new Set<TickListener>()
  let timer: ReturnType<typeof setInterval> | undefined

  const pick = (symbol: string): MarketData => (paths.has(symbol) ? view : base)
  base.onTick((tick) => {
    if (paths.has(tick.symbol)) return
    for (const l of [...listeners]) l(tick)
  })
  view.onTick((tick) => {
    for (const l of [...listeners]) l(tick)
  })

  /** Put every planted candle that opened at or before `t`: closed ones whole, the forming one as of `t`. */
  function moveTo(t: number): void {
    for (const [symbol, p] of paths) {
      while (p.next < p.candles.length && p.candles[p.next]!.time + MINUTE_MS <= t) {
        const c = p.candles[p.next++]!
        core.put(symbol, c)
        p.last = c.close
      }
      const forming = p.candles[p.next]
      if (forming && forming.time <= t) core.put(symbol, partialCandle(forming, (t - forming.time) / MINUTE_MS))
      else if (!forming) {
        const minute = t - (t % MINUTE_MS)
        core.put(symbol, { time: minute, open: p.last, high: p.last, low: p.last, close: p.last, volume: 0 })
      }
    }
    core.time = t
  }

  function advance(): void {
    base.advance()
    if (paths.size === 0) return
    const before = core.prices()
    moveTo(clock.now())
    core.emitChanges(before)
  }

  const market: PlantedMarket = {
    symbols: () => base.symbols(),
    instrument: (symbol) => base.instrument(symbol),
    requireInstrument: (symbol) => base.requireInstrument(symbol),
    ticker: (symbol) => pick(symbol).ticker(symbol),
    candles: (symbol, interval, query) => pick(symbol).candles(symbol, interval, query),
    candleColumns: (symbol, interval, query) => pick(symbol).candleColumns(symbol, interval, query),
    orderBook: (symbol, depth) => pick(symbol).orderBook(symbol, depth),
    take: (symbol, side, quantity) => pick(symbol).take(symbol, side, quantity),
    advance,
    onTick(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    lastUpdate: () => base.lastUpdate(),
    now: () => base.now(),
    status: () => base.status(),
    start(intervalMs = 1000) {
      if (timer) clearInterval(timer)
      timer = setInterval(advance, intervalMs)
      timer.unref?.()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      base.stop()
    },
    plant(symbol, candles) {
      base.requireInstrument(symbol)
      if (candles.length === 0) throw new RangeError('plant needs at least one candle')
      for (const [i, c] of candles.entries()) {
        const values = [c.open, c.high, c.low, c.close]
        if (!values.every((v) => Number.isFinite(v) && v > 0)) throw new RangeError(`candle ${i}: prices must be positive numbers`)
        if (c.high < Math.max(c.open, c.close) || c.low > Math.min(c.open, c.close)) throw new RangeError(`candle ${i}: high/low must contain open and close`)
      }
      const now = clock.now()
      let p = paths.get(symbol)
      if (!p) {
        // The base market's history (and its forming minute as of now) carries over, so charts and
        // indicators stay continuous where the path begins.
        const cols = base.candleColumns(symbol, '1m', {})
        for (let i = 0; i < cols.time.length; i++)
          core.put(symbol, { time: cols.time[i]!, open: cols.open[i]!, high: cols.high[i]!, low: cols.low[i]!, close: cols.close[i]!, volume: cols.volume[i]! })
        p = { candles: [], next: 0, last: base.ticker(symbol).price }
        paths.set(symbol, p)
      }
      const lastPlanted = p.candles[p.candles.length - 1]
      const boundary = Math.ceil(now / MINUTE_MS) * MINUTE_MS
      const from = lastPlanted ? Math.max(lastPlanted.time + MINUTE_MS, boundary) : boundary
      candles.forEach((c, i) => p.candles.push({ time: from + i * MINUTE_MS, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume ?? 1 }))
      moveTo(now)
      return { symbol, from, to: from + candles.length * MINUTE_MS }
    },
    isPlanted: (symbol) => paths.has(symbol),
  }
  return market
}
