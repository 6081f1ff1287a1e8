import { describe, expect, it } from 'vitest'
import { idFactory, ManualClock } from '../../core'
import { createSimulatedMarket, SeriesMarket, type Instrument, type MarketData } from '../../market'
import { BUILTIN_PRESET_NAMES, BUILTIN_PRESETS, withOverrides } from '../presets'
import { clusterLevels, scan, ScanStore, symbolReport } from '.'
import { N, plantedMarket, STEP, T0 } from './test-markets'

const balanced = BUILTIN_PRESETS.balanced!
const NOW = T0 + N * STEP + 5 * 60_000

describe('scan on a planted market', () => {
  it('ranks the volume-surge breakout first and explains why; the calm symbols are rejected with reasons', () => {
    const { market } = plantedMarket()
    const result = scan(market, market.symbols(), balanced, NOW, { newId: idFactory('t') })

    expect(result).toMatchObject({ scan_id: 'scan_t1', preset: 'balanced', interval: '15m', timestamp: new Date(NOW).toISOString() })
    expect(result.total_scanned).toBe(4)
    expect(result.passed_filters).toBe(2)
    expect(result.candidates.map((c) => [c.symbol, c.rank])).toEqual([
      ['BRKUSDT', 1],
      ['NEARUSDT', 2],
    ])

    const [brk, near] = result.candidates
    expect(brk!.price).toBe(105)
    expect(brk!.direction).toBe('up')
    expect(brk!.score).toBeGreaterThan(near!.score)
    expect(brk!.metrics.volume_ratio).toBeCloseTo(5, 1)
    expect(brk!.metrics.breakout_atr).toBeGreaterThan(1)
    expect(brk!.reasons.find((r) => r.startsWith('volume surge:'))).toMatch(/^volume surge: 5\.\d\d× the average of the previous 20 candles/)
    expect(brk!.reasons.find((r) => r.startsWith('breakout:'))).toMatch(/^breakout: closed \d+\.\d\d ATR above resistance 104\.10 \(\d+ touches\)$/)
    expect(brk!.reasons.some((r) => r.startsWith('volatility:'))).toBe(true)
    expect(brk!.reasons.some((r) => r.startsWith('trend:'))).toBe(true)
    const resistance = brk!.levels.find((l) => l.type === 'resistance')!
    expect(resistance.price).toBe(104.1)
    expect(resistance.touches).toBeGreaterThanOrEqual(10)
    expect(brk!.levels.find((l) => l.type === 'support')?.price).toBe(99.9)

    expect(near!.reasons.find((r) => r.startsWith('level:'))).toMatch(/^level: 0\.19% from resistance 104\.10/)
    expect(near!.metrics.breakout_atr).toBeNull()

    const rejected = Object.fromEntries(result.rejected.map((r) => [r.symbol, r]))
    expect(Object.keys(rejected).sort()).toEqual(['CALMUSDT', 'FLATUSDT'])
    expect(rejected.CALMUSDT).toMatchObject({ filter: 'volume' })
    expect(rejected.CALMUSDT!.reason).toMatch(/^volume [01]\.\d\d× the average of the previous 20 candles, below the minimum 1\.5×/)
    expect(rejected.FLATUSDT!.filter).toBe('volume')
    // Every failed filter is named, with its figure.
    expect(rejected.FLATUSDT!.reason).toMatch(/^volume [01]\.\d\d× the average .*; volatility: ATR\(14\) 0\.0\d% of price, outside 0\.1–5%$/)
  })

  it('the forming candle never changes a scan; once it closes it counts', () => {
    const { core, market } = plantedMarket()
    const strip = (r: ReturnType<typeof scan>) => ({ ...r, scan_id: '', timestamp: '' })
    const before = strip(scan(market, market.symbols(), balanced, NOW))
    // CALM's forming candle surges through the resistance; BRK's trades on almost no volume.
    const forming = T0 + N * STEP
    core.put('CALMUSDT', { time: forming, open: 103.9, high: 107, low: 103.8, close: 106.5, volume: 90_000 })
    core.put('BRKUSDT', { time: forming, open: 105, high: 105.2, low: 104.3, close: 104.5, volume: 10 })
    expect(strip(scan(market, market.symbols(), balanced, NOW))).toEqual(before)
    expect(symbolReport(market, 'CALMUSDT', balanced, NOW).passed).toBe(false)

    core.time = forming + STEP // the candle is now closed
    const after = scan(market, market.symbols(), balanced, NOW)
    expect(after.candidates.map((c) => c.symbol)).toContain('CALMUSDT')
    expect(after.rejected.find((r) => r.symbol === 'BRKUSDT')?.filter).toBe('volume')
  })

  it('filters follow the preset: trend down keeps only downward setups; a higher volume bar drops NEAR', () => {
    const { market } = plantedMarket()
    const down = withOverrides(balanced, { scanner: { trend: 'down', trend_source: 'ema' } })
    const d = scan(market, market.symbols(), down, NOW)
    expect(d.candidates.map((c) => c.symbol)).not.toContain('BRKUSDT')

    const strict = withOverrides(balanced, { scanner: { min_volume_ratio: 3 } })
    const s = scan(market, market.symbols(), strict, NOW)
    expect(s.candidates.map((c) => c.symbol)).toEqual(['BRKUSDT'])
    expect(s.rejected.find((r) => r.symbol === 'NEARUSDT')?.reason).toMatch(/below the minimum 3×/)

    expect(scan(market, market.symbols(), balanced, NOW, { limit: 1 })).toMatchObject({ passed_filters: 2, candidates: [{ symbol: 'BRKUSDT' }] })
  })

  it('refuses unknown symbols and bad limits; too little history is a rejection, not an error', () => {
    const { market } = plantedMarket()
    expect(() => scan(market, ['NOPEUSDT'], balanced, NOW)).toThrow(expect.objectContaining({ code: 'INVALID_SYMBOL' }))
    expect(() => scan(market, ['BRKUSDT'], balanced, NOW, { limit: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    const long = withOverrides(balanced, { scanner: { lookback: 1000 } })
    // 320 closed candles fit; a 4h interval has only 20.
    const h4 = withOverrides(balanced, { scanner: { interval: '4h' } })
    expect(scan(market, ['BRKUSDT'], long, NOW).candidates).toHaveLength(1)
    const r = scan(market, ['BRKUSDT'], h4, NOW)
    expect(r.rejected).toEqual([{ symbol: 'BRKUSDT', filter: 'history', reason: expect.stringMatching(/^only \d+ closed 4h candles, 27 needed$/) }])
  })
})

describe('ScanStore and symbolReport', () => {
  it('keeps the last scan per user', () => {
    const { market } = plantedMarket()
    const store = new ScanStore()
    expect(store.get('alice')).toBeNull()
    const first = scan(market, market.symbols(), balanced, NOW)
    store.save('alice', first)
    const second = scan(market, ['CALMUSDT'], balanced, NOW)
    store.save('bob', second)
    expect(store.get('alice')).toBe(first)
    expect(store.get('bob')).toBe(second)
    store.save('alice', second)
    expect(store.get('alice')).toBe(second)
    // JSON-safe: no NaN/Infinity anywhere.
    expect(JSON.parse(JSON.stringify(first))).toEqual(first)
  })

  it('forgets the least recently written user beyond its cap', () => {
    const store = new ScanStore(2)
    const { market } = plantedMarket()
    const r = scan(market, ['CALMUSDT'], balanced, NOW)
    store.save('a', r)
    store.save('b', r)
    store.save('a', r)
    store.save('c', r)
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([r, null, r])
  })

  it('reports one symbol whether it passes or not', () => {
    const { market } = plantedMarket()
    const calm = symbolReport(market, 'CALMUSDT', balanced, NOW)
    expect(calm).toMatchObject({
      symbol: 'CALMUSDT',
      preset: 'balanced',
      interval: '15m',
      candles_analyzed: 300,
      last_closed_candle: new Date(T0 + (N - 1) * STEP).toISOString(),
      passed: false,
      filters: { history: true, volume: false, volatility: true, trend: true },
    })
    expect(calm.failures[0]).toMatch(/^volume /)
    expect(calm.levels.map((l) => l.price)).toEqual(expect.arrayContaining([104.1, 99.9]))
    expect(calm.metrics.atr_pct).toBeGreaterThan(0.1)
    const brk = symbolReport(market, 'BRKUSDT', balanced, NOW)
    const ranked = scan(market, market.symbols(), balanced, NOW).candidates[0]!
    expect(brk).toMatchObject({ passed: true, score: ranked.score, levels: ranked.levels, metrics: ranked.metrics, reasons: ranked.reasons })
    expect(() => symbolReport(market, 'NOPEUSDT', balanced)).toThrow(expect.objectContaining({ code: 'INVALID_SYMBOL' }))
  })
})

describe('clusterLevels', () => {
  const swings = (rows: [kind: 1 | -1, price: number][]) => ({
    highLow: Float64Array.from(rows.map(([k]) => k)),
    level: Float64Array.from(rows.map(([, p]) => p)),
  })

  it('clusters swing highs within cluster_pct of the running mean, counts touches, ranks by touches then nearness', () => {
    const s = swings([
      [1, 100],
      [-1, 90],
      [1, 100.2],
      [-1, 90.1],
      [1, 99.9],
      [-1, 95],
      [1, 101],
    ])
    const levels = clusterLevels(s, 96, { swing_length: 2, cluster_pct: 0.3, min_touches: 1, max_levels: 10 }, 2)
    expect(levels).toEqual([
      { price: 100.03, type: 'resistance', touches: 3 },
      { price: 90.05, type: 'support', touches: 2 },
      { price: 95, type: 'support', touches: 1 },
      { price: 101, type: 'resistance', touches: 1 },
    ])
    expect(clusterLevels(s, 96, { swing_length: 2, cluster_pct: 0.3, min_touches: 2, max_levels: 1 }, 2)).toEqual([
      { price: 100.03, type: 'resistance', touches: 3 },
    ])
  })
})

describe('scan on the simulated market', () => {
  it('every built-in preset scans every symbol into plain JSON, deterministically', () => {
    const clock = new ManualClock(Date.parse('2026-03-02T10:37:00Z'))
    const market = createSimulatedMarket({ clock, seed: 7, historyDays: 12 })
    for (const name of BUILTIN_PRESET_NAMES) {
      const preset = BUILTIN_PRESETS[name]!
      const a = scan(market, market.symbols(), preset, clock.now(), { newId: idFactory('x') })
      expect(a.total_scanned).toBe(market.symbols().length)
      expect(a.candidates.length + a.rejected.length).toBe(Math.min(a.passed_filters, preset.scanner.max_candidates) + a.rejected.length)
      expect(JSON.parse(JSON.stringify(a))).toEqual(a)
      for (const c of a.candidates) {
        expect(c.score).toBeGreaterThanOrEqual(0)
        expect(c.score).toBeLessThanOrEqual(1)
        expect(c.reasons).toHaveLength(4)
      }
      for (const r of a.rejected) expect(r.reason.length).toBeGreaterThan(0)
      expect(scan(market, market.symbols(), preset, clock.now(), { newId: idFactory('x') })).toEqual(a)
    }
  })
})
