import { describe, expect, it } from 'vitest'
import { DomainError, ManualClock } from '../core'
import { createSimulatedMarket } from '../market'
import { FEATURE_NAMES } from './features'
import { PredictionService, type SymbolModelInfo } from './prediction-service'
import { plantedMarket } from './test-markets'

type Ready = Extract<SymbolModelInfo, { status: 'ready' }>
const ready = (m: SymbolModelInfo | undefined): Ready => {
  if (!m || m.status !== 'ready') throw new Error(`model not ready: ${JSON.stringify(m)}`)
  return m
}
const HOUR = 3_600_000

describe('prediction model', () => {
  it('on a planted mean-reverting market, held-out accuracy beats the majority baseline by > 0.15 at every horizon', () => {
    const p = plantedMarket({ candles: 1500, phi: 0 })
    const svc = new PredictionService({ seed: 42, interval: '1h' })
    const info = svc.train(p.market)
    expect(info.models).toHaveLength(3)
    for (const m of info.models.map(ready)) {
      expect(m.features).toEqual([...FEATURE_NAMES])
      expect(m.held_out.accuracy).toBeGreaterThan(m.baseline.accuracy + 0.15)
      expect(m.held_out.log_loss).toBeLessThan(m.baseline.log_loss - 0.1)
      expect(m.walk_forward.folds).toHaveLength(4)
      for (const f of m.walk_forward.folds) expect(f.accuracy).toBeGreaterThan(f.baseline_accuracy + 0.1)
      // Chronological split with a gap of h candles between training and held-out.
      expect(Date.parse(m.held_out_window.from) - Date.parse(m.training_window.to)).toBeGreaterThan(m.horizon * HOUR)
      expect(m.samples.train + m.samples.gap + m.samples.held_out).toBe(m.samples.total)
      expect(m.samples.train / m.samples.total).toBeCloseTo(0.7, 2)
      const { train, held_out } = m.class_distribution
      expect(train.up + train.flat + train.down).toBe(m.samples.train)
      expect(held_out.up + held_out.flat + held_out.down).toBe(m.samples.held_out)
      // The flat band makes about a third of the training samples flat.
      expect(train.flat / m.samples.train).toBeGreaterThan(0.3)
      expect(train.flat / m.samples.train).toBeLessThan(0.37)
    }
    const pr = svc.predict(p.symbol, 1)
    const { up, flat, down } = pr.probabilities
    expect(up + flat + down).toBeCloseTo(1, 12)
    expect(pr.confidence).toBe(Math.max(up, flat, down))
    expect(pr.candle_time).toBe(new Date(p.series.time - HOUR).toISOString())
  })

  it('on the random-walk simulated market, held-out accuracy stays near the majority baseline', () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 31, 12, 7))
    const market = createSimulatedMarket({ clock, seed: 42, historyDays: 30 })
    const svc = new PredictionService({ seed: 42, interval: '15m', horizons: [1, 4] })
    const info = svc.train(market)
    const diffs = { 1: [] as number[], 4: [] as number[] }
    for (const m of info.models.map(ready)) {
      expect(m.samples.held_out).toBeGreaterThan(500)
      const diff = m.held_out.accuracy - m.baseline.accuracy
      diffs[m.horizon as 1 | 4].push(diff)
      // One-candle labels are independent: ≈ 590 held-out samples, σ(accuracy) ≈ 0.02.
      if (m.horizon === 1) expect(Math.abs(diff), `${m.symbol} h1`).toBeLessThan(0.08)
      // No real edge in log loss either (a little from volatility clustering at most).
      expect(m.held_out.log_loss, `${m.symbol} h${m.horizon}`).toBeGreaterThan(m.baseline.log_loss - 0.05)
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(Math.abs(mean(diffs[1]))).toBeLessThan(0.05)
    // 4-candle labels overlap, so each held-out estimate is noisier; the average over symbols is not.
    expect(Math.abs(mean(diffs[4]))).toBeLessThan(0.06)
  })

  it('on the simulated market, each closed 15m candle yields one prediction per horizon and symbol (the forming one never)', () => {
    const clock = new ManualClock(Date.UTC(2024, 4, 2, 9, 58, 30))
    const market = createSimulatedMarket({ clock, seed: 3, historyDays: 10 })
    const svc = new PredictionService()
    const info = svc.train(market)
    expect(info.interval).toBe('15m')
    expect(info.models.every((m) => m.status === 'ready')).toBe(true)
    expect(Date.parse(info.trained_at)).toBe(clock.now())
    clock.advance(60_000) // 09:59:30: the 09:45 candle is still forming
    market.advance()
    expect(svc.onClosedCandle('BTCUSDT')).toEqual([])
    clock.advance(60_000) // 10:00:30: it closed
    market.advance()
    const updates = market.symbols().flatMap((s) => svc.onClosedCandle(s))
    expect(updates).toHaveLength(market.symbols().length * 3)
    for (const u of updates) expect(u.candle_time).toBe('2024-05-02T09:45:00.000Z')
    expect(market.symbols().flatMap((s) => svc.onClosedCandle(s))).toEqual([])
  })

  it('two services with the same seed and data give identical models and predictions', () => {
    const a = plantedMarket({ candles: 600, phi: 0.3 })
    const b = plantedMarket({ candles: 600, phi: 0.3 })
    const s1 = new PredictionService({ seed: 7, interval: '1h' })
    const s2 = new PredictionService({ seed: 7, interval: '1h' })
    expect(s2.train(b.market)).toEqual(s1.train(a.market))
    for (const h of [1, 4, 12]) expect(s2.predict(b.symbol, h)).toEqual(s1.predict(a.symbol, h))
    for (let i = 0; i < 5; i++) {
      a.next()
      b.next()
      expect(s2.onClosedCandle(b.symbol)).toEqual(s1.onClosedCandle(a.symbol))
    }
    expect(s2.info()).toEqual(s1.info())
  })

  it('records one prediction per horizon per closed candle and resolves it after h more candles, counting the hit rate', () => {
    const p = plantedMarket({ candles: 600, phi: 0 })
    const svc = new PredictionService({ seed: 1, interval: '1h', horizons: [1, 4], retrainEvery: 1000 })
    svc.train(p.market)
    expect(svc.onClosedCandle(p.symbol)).toEqual([]) // nothing closed since training
    p.next()
    const first = svc.onClosedCandle(p.symbol)
    expect(first.map((x) => x.horizon)).toEqual([1, 4])
    expect(svc.onClosedCandle(p.symbol)).toEqual([]) // same candle: no second update
    expect(first[0]).toEqual(svc.predict(p.symbol, 1))
    expect(svc.info().live).toEqual({ resolved: 0, correct: 0, hit_rate: null })

    const cols = (): Float64Array => p.market.candleColumns(p.symbol, '1h', { limit: 10 }).close
    p.next()
    expect(svc.onClosedCandle(p.symbol)).toHaveLength(2)
    // The h=1 prediction made one candle ago is resolved against the close that just came in.
    const h1 = svc.recent(p.symbol, { horizon: 1 }).find((r) => r.candle_time === first[0]!.candle_time)!
    expect(h1.status).toBe('resolved')
    const c = cols()
    const realized = Math.log(c[c.length - 1]! / first[0]!.current_price)
    expect(h1.realized_return_bps).toBeCloseTo(realized * 1e4, 9)
    const band = first[0]!.flat_band_bps / 1e4
    expect(h1.actual).toBe(realized > band ? 'up' : realized < -band ? 'down' : 'flat')
    expect(h1.correct).toBe(h1.actual === h1.prediction)
    const h4 = svc.recent(p.symbol, { horizon: 4 }).find((r) => r.candle_time === first[1]!.candle_time)!
    expect(h4.status).toBe('pending')
    expect(svc.live(p.symbol, 1)).toMatchObject({ resolved: 1, correct: h1.correct ? 1 : 0 })

    for (let i = 0; i < 3; i++) {
      p.next()
      svc.onClosedCandle(p.symbol)
    }
    const h4Now = svc.recent(p.symbol, { horizon: 4 }).find((r) => r.candle_time === first[1]!.candle_time)!
    expect(h4Now.status).toBe('resolved')
    expect(h4Now.target_time).toBe(new Date(Date.parse(first[1]!.candle_time) + 4 * HOUR).toISOString())

    // Run on: the live hit rate counts every resolved prediction and beats chance on this market.
    for (let i = 0; i < 150; i++) {
      p.next()
      expect(svc.onClosedCandle(p.symbol)).toHaveLength(2)
    }
    const live = svc.info().live
    const all = svc.recent(p.symbol)
    const resolved = all.filter((r) => r.status === 'resolved')
    expect(live.resolved).toBe(resolved.length)
    expect(live.correct).toBe(resolved.filter((r) => r.correct).length)
    expect(live.hit_rate).toBe(live.correct / live.resolved)
    expect(live.hit_rate!).toBeGreaterThan(0.45)
    expect(all.filter((r) => r.status === 'pending').map((r) => r.horizon).sort()).toEqual([1, 4, 4, 4, 4])
  })

  it('ignores the forming candle and retrains every retrainEvery closed candles', () => {
    const p = plantedMarket({ candles: 400, phi: 0 })
    const svc = new PredictionService({ seed: 1, interval: '1h', horizons: [1], retrainEvery: 3 })
    svc.train(p.market)
    const before = svc.predict(p.symbol, 1)
    // A forming candle: open time now, not closed until an hour later.
    p.series.put(p.symbol, { time: p.series.time, open: 1, high: 1e9, low: 1, close: 1e9, volume: 1e6 })
    expect(svc.predict(p.symbol, 1)).toEqual(before)
    expect(svc.onClosedCandle(p.symbol)).toEqual([])
    const version = ready(svc.info().models[0]).model_version
    for (let i = 0; i < 3; i++) {
      p.series.time += HOUR
      expect(svc.onClosedCandle(p.symbol)).toHaveLength(1)
      p.series.put(p.symbol, { time: p.series.time, open: 100, high: 101, low: 99, close: 100, volume: 10 })
    }
    const after = ready(svc.info().models[0])
    expect(after.model_version).not.toBe(version)
    expect(after.trained_at).toBe(new Date(p.series.time).toISOString())
  })

  it('throws MODEL_UNAVAILABLE before the first training, and for a symbol without enough data', () => {
    const p = plantedMarket({ candles: 100, phi: 0 })
    const svc = new PredictionService({ interval: '1h' })
    const code = (f: () => unknown): string | undefined => {
      try {
        f()
      } catch (e) {
        return e instanceof DomainError ? e.code : String(e)
      }
      return undefined
    }
    expect(code(() => svc.info())).toBe('MODEL_UNAVAILABLE')
    expect(code(() => svc.predict(p.symbol, 1))).toBe('MODEL_UNAVAILABLE')
    expect(svc.onClosedCandle(p.symbol)).toEqual([])
    svc.train(p.market)
    const info = svc.info()
    expect(info.models.every((m) => m.status === 'insufficient_data')).toBe(true)
    expect(code(() => svc.predict(p.symbol, 4))).toBe('MODEL_UNAVAILABLE')
    expect(code(() => svc.predict(p.symbol, 5))).toBe('VALIDATION_FAILED')
    expect(code(() => svc.predict('NOPE', 1))).toBe('INVALID_SYMBOL')
  })
})
