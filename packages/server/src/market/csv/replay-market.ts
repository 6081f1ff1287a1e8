import { createHash } from 'node:crypto'
import type { Clock } from '../../core'
import { MINUTE_MS } from '../intervals'
import { partialCandle } from '../candle-path'
import { SeriesMarket } from '../series-market'
import type { MarketData, MarketStatus } from '../types'
import type { CsvSource } from './load-csv'

export interface ReplayOptions {
  clock: Clock
  source: CsvSource
  /** Data time per clock time (60: one minute of data per second), or `max`: one candle per advance. */
  speed: number | 'max'
  /**
   * Data time (ms) the replay starts at: earlier candles are history, later ones are replayed.
   * Default: the open of the candle 80 % into the longest series.
   */
  start?: number
  seed?: string
}

/** A CSV replay, plus what tests and the start banner need to know. */
export interface ReplayMarket extends MarketData {
  /** Data time (ms) the replay started at. */
  readonly replayStart: number
  /** Data time (ms) at which the data ends (the close of the last candle). */
  readonly replayEnd: number
}

/**
 * MARKET_SOURCE=csv: the file's candles before the replay start are history; after it, data time
 * runs at `speed` and each candle is replayed as live ticks along a path through its open, its
 * extremes and its close (low first for a rising candle, high first for a falling one), so fills,
 * stops and the stream follow the file. At the end of the data the feed stops: status `ended`.
 */
export function createReplayMarket(options: ReplayOptions): ReplayMarket {
  const { clock, source, speed } = options
  const stepMs = source.stepMinutes * MINUTE_MS
  const digest = createHash('sha256')
  for (const [symbol, c] of source.series) digest.update(symbol).update(new Uint8Array(c.close.buffer, c.close.byteOffset, c.close.byteLength))
  const core = new SeriesMarket(source.instruments, source.stepMinutes, `${options.seed ?? '42'}:${digest.digest('hex').slice(0, 16)}`)

  let first = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  let longest = 0
  for (const c of source.series.values()) {
    first = Math.min(first, c.time[0]!)
    end = Math.max(end, c.time[c.time.length - 1]! + stepMs)
    longest = Math.max(longest, c.time.length)
  }
  const defaultStart = (() => {
    const c = [...source.series.values()].find((x) => x.time.length === longest)!
    return c.time[Math.min(c.time.length - 1, Math.floor(c.time.length * 0.8))]!
  })()
  const replayStart = Math.min(Math.max(options.start ?? defaultStart, first), end)

  /** Next row to put, per symbol. */
  const cursor = new Map([...source.series.keys()].map((s) => [s, 0]))
  const startedAt = clock.now()
  let lastUpdate = startedAt
  let dataTime = replayStart
  let timer: ReturnType<typeof setInterval> | undefined

  /** Put every candle that opened at or before `t`: closed ones whole, the forming one as of `t`. */
  function moveTo(t: number): void {
    for (const [symbol, c] of source.series) {
      let i = cursor.get(symbol)!
      while (i < c.time.length && c.time[i]! + stepMs <= t) {
        core.put(symbol, { time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! })
        i++
      }
      cursor.set(symbol, i)
      if (i < c.time.length && c.time[i]! <= t) core.put(symbol, partialCandle({ time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }, (t - c.time[i]!) / stepMs))
    }
    core.time = Math.min(t, end)
  }

  moveTo(replayStart)

  function advance(): void {
    const now = clock.now()
    if (now < lastUpdate || dataTime >= end) return
    const next = speed === 'max' ? Math.min(end, Math.floor(dataTime / stepMs) * stepMs + stepMs) : replayStart + (now - startedAt) * speed
    if (next <= dataTime) return
    const before = core.prices()
    dataTime = Math.min(next, end)
    moveTo(dataTime)
    lastUpdate = now
    core.emitChanges(before)
  }

  const status = (): MarketStatus => (dataTime >= end ? { state: 'ended', reason: 'replay finished' } : { state: 'live', reason: null })
  const market = core.marketData({
    advance,
    start(intervalMs = 1000) {
      if (timer) clearInterval(timer)
      // `max` replays a candle per advance: as fast as the timer allows.
      timer = setInterval(advance, speed === 'max' ? Math.min(intervalMs, 50) : intervalMs)
      timer.unref?.()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
    },
    lastUpdate: () => lastUpdate,
    status,
  })
  return Object.assign(market, { replayStart, replayEnd: end })
}
