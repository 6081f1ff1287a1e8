import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  bosChoch,
  candlesFromArrays,
  createSmcStream,
  swingHighsLows,
  type BosChoch,
  type CausalEmission,
  type CausalOptions,
  type CausalSmcStream,
  type SmcStream,
  type SmcStreamOptions,
  type SmcStreamResult,
  type StreamCandle,
} from './smc'

// `smc-trading-sdk/smc` is the engine bundled into the SDK: the streaming API must be there, typed.
describe('smc-trading-sdk/smc: streaming engine', () => {
  it('exports createSmcStream with typed options, candles and results', () => {
    // Two overloads: the parity stream (default) and the causal one (`mode: 'causal'`).
    expectTypeOf(createSmcStream).parameter(0).toEqualTypeOf<SmcStreamOptions | undefined | (CausalOptions & { mode: 'causal' })>()
    expectTypeOf(createSmcStream({} as SmcStreamOptions)).toEqualTypeOf<SmcStream>()
    expectTypeOf(createSmcStream({ mode: 'causal' })).toEqualTypeOf<CausalSmcStream>()
    expectTypeOf<CausalSmcStream['push']>().returns.toEqualTypeOf<CausalEmission>()
    expectTypeOf<SmcStream['push']>().parameter(0).toEqualTypeOf<StreamCandle>()
    expectTypeOf<ReturnType<SmcStream['bosChoch']>>().toEqualTypeOf<BosChoch>()
    expectTypeOf<SmcStreamResult['retracements']>().toMatchTypeOf<{ direction: Int32Array } | undefined>()
  })

  it('streams candles to the same result as the batch functions', () => {
    const cols = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] }
    const stream = createSmcStream({ swings: { swingLength: 3 } })
    for (let i = 0; i < 200; i++) {
      const mid = 100 + 10 * Math.sin(i / 7) + 3 * Math.sin(i * 1.3)
      const c: StreamCandle = { time: Date.UTC(2024, 0, 1) + i * 900_000, open: mid - 0.5, high: mid + 1.5, low: mid - 1.5, close: mid + 0.5, volume: 10 + (i % 7) }
      stream.push(c)
      for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k].push(c[k])
    }
    const candles = candlesFromArrays(cols)
    const swings = swingHighsLows(candles, { swingLength: 3 })
    expect(stream.swings()).toEqual(swings)
    const batch = bosChoch(candles, swings)
    expect(stream.bosChoch()).toEqual(batch)
    // Not vacuous: the series has swings and broken structure.
    expect(swings.highLow.filter((v) => v === 1).length).toBeGreaterThan(3)
    expect(batch.brokenIndex.filter((v) => v === v).length).toBeGreaterThan(0)
  })
})
