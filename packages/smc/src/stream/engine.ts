import { BosChochStream } from './bos-choch'
import { ColumnAlloc, createSeries, growSeries, seriesIn, viewCandles, viewColumns, type Series } from './columns'
import { FvgStream } from './fvg'
import { LiquidityStream } from './liquidity'
import { ObStream } from './ob'
import { PreviousHighLowStream } from './previous-high-low'
import { RetracementsStream } from './retracements'
import { SessionsStream } from './sessions'
import { SwingTracker } from './swings'
import type { SmcStream, SmcStreamOptions, StreamCandle } from './types'

const opt = <T extends object>(v: T | boolean | undefined, byDefault: boolean): T | undefined =>
  v === false || (v === undefined && !byDefault) ? undefined : v === true || v === undefined ? ({} as T) : v

const list = <T extends object>(v: T | readonly T[] | boolean | undefined, byDefault: boolean): T[] => {
  if (Array.isArray(v)) return [...(v as readonly T[])]
  const one = opt(v as T | boolean | undefined, byDefault)
  return one ? [one] : []
}


/** A candle's fields are finite and its time follows `lastTime` (row `i` of the stream), or RangeError. */
export function checkCandle(candle: StreamCandle, i: number, lastTime: number | undefined): void {
  const { time, open, high, low, close, volume } = candle
  if (!Number.isFinite(time)) throw new RangeError(`push: time must be a finite number (row ${i})`)
  if (i > 0 && !(time > lastTime!)) throw new RangeError(`push: time must increase strictly (row ${i})`)
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
    const bad = (['open', 'high', 'low', 'close', 'volume'] as const).find((k) => !Number.isFinite(candle[k]))
    throw new RangeError(`push: ${bad} must be a finite number (row ${i})`)
  }
}

/** One engine over all the candles it is given (the stream without a window). */
export function createEngine(options: SmcStreamOptions, requested: number): { api: SmcStream; series: Series } {
  const storage = options.storage
  // Lent storage sets the capacity of every column (they grow together).
  const cap0 = storage ? storage.time.length : Math.max(16, requested)
  const alloc = new ColumnAlloc(options.pool)
  const series = storage ? seriesIn(storage) : createSeries(cap0, alloc)
  const swingOpts = options.swings ?? {}
  const sw = new SwingTracker(swingOpts.swingLength ?? 50, swingOpts.parity ?? true, cap0, alloc)
  const fvgOpts = opt(options.fvg, true)
  const bosOpts = opt(options.bosChoch, true)
  const obOpts = opt(options.ob, true)
  const liqOpts = opt(options.liquidity, true)
  const retr = options.retracements ?? true
  const fvg = fvgOpts && new FvgStream(fvgOpts, cap0, alloc)
  const bos = bosOpts && new BosChochStream(sw, bosOpts, cap0, alloc)
  const ob = obOpts && new ObStream(sw, obOpts, cap0, alloc)
  const liq = liqOpts && new LiquidityStream(sw, liqOpts, cap0, alloc)
  const ret = retr ? new RetracementsStream(sw, cap0, alloc) : undefined
  const phl = list(options.previousHighLow, true).map((o) => new PreviousHighLowStream(o, cap0, alloc))
  const ses = list(options.sessions, false).map((o) => new SessionsStream(o, cap0, alloc))
  // Order matters: the swing frame first, then everything reading it.
  const ordered: { grow(cap: number): void; push(s: Series): void }[] = [sw]
  for (const p of [fvg, bos, ob, liq, ret]) if (p) ordered.push(p)
  ordered.push(...phl, ...ses)

  const need = <T>(x: T | undefined | false, name: string): T => {
    if (!x) throw new RangeError(`createSmcStream: ${name} is disabled in this stream's options`)
    return x
  }
  const at = <T>(arr: T[], index: number, name: string): T => {
    const x = arr[index]
    if (!x) throw new RangeError(`createSmcStream: no ${name} configuration #${index} (have ${arr.length})`)
    return x
  }

  let released = false
  const api: SmcStream = {
    get length() {
      return series.n
    },
    dropped: 0,
    push(candle) {
      const { time, open, high, low, close, volume } = candle
      const i = series.n
      if (released) throw new RangeError('push: the stream was released')
      // The checks inline; the call (which boxes the times it is passed) only to throw.
      if (!(Number.isFinite(time) && (i === 0 || time > series.time[i - 1]!) && Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume)))
        checkCandle(candle, i, series.time[i - 1])
      for (const s of ses) s.prepare(time, i)
      if (i === series.cap) {
        const cap = series.cap * 2
        growSeries(series, cap, alloc)
        for (const p of ordered) p.grow(cap)
      }
      series.time[i] = time
      series.open[i] = open
      series.high[i] = high
      series.low[i] = low
      series.close[i] = close
      series.volume[i] = volume
      series.n = i + 1
      for (const p of ordered) p.push(series)
      return api
    },
    candles: () => viewCandles(series),
    swings: () => viewColumns({ highLow: sw.highLow, level: sw.level }, series.n),
    fvg: () => viewColumns(need(fvg, 'fvg').out, series.n),
    bosChoch: () => viewColumns(need(bos, 'bosChoch').out, series.n),
    ob: () => viewColumns(need(ob, 'ob').out, series.n),
    liquidity: () => viewColumns(need(liq, 'liquidity').out, series.n),
    retracements: () => viewColumns(need(ret, 'retracements').out, series.n),
    previousHighLow: (index = 0) => viewColumns(at(phl, index, 'previousHighLow').out, series.n),
    sessions: (index = 0) => viewColumns(at(ses, index, 'sessions').out, series.n),
    release() {
      released = true
      alloc.release()
    },
    result() {
      return {
        length: series.n,
        swings: api.swings(),
        fvg: fvg ? api.fvg() : undefined,
        bosChoch: bos ? api.bosChoch() : undefined,
        ob: ob ? api.ob() : undefined,
        liquidity: liq ? api.liquidity() : undefined,
        retracements: ret ? api.retracements() : undefined,
        previousHighLow: phl.map((_, k) => api.previousHighLow(k)),
        sessions: ses.map((_, k) => api.sessions(k)),
      }
    },
  }
  return { api, series }
}
