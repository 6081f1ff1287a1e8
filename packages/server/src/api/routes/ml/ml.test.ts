import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../http-server'
import { plantedMarket, type PlantedMarket } from '../../../ml/test-markets'
import { createTestContext, openSocket, type TestContext } from '../../../testing'

// The model over the API and the stream, on a planted market whose next move the features reveal
// (an AR(1) with φ = 0: closes far above their recent band fall back).
let ctx: TestContext
let planted: PlantedMarket
let server: RunningServer
let token: string
beforeEach(async () => {
  ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', ML_INTERVAL: '1h' },
    { market: () => (planted = plantedMarket({ candles: 1500, phi: 0 })).market },
  )
  server = await ctx.listen()
  token = await ctx.token(['read_market_data'])
})
afterEach(() => ctx.close())

const get = async (path: string) => {
  const res = await ctx.call('GET', path, { token })
  return { status: res.status, body: await res.json() }
}

describe('prediction model endpoints', () => {
  it('answer 503 MODEL_UNAVAILABLE before the first training', async () => {
    for (const path of ['/v1/ml/model/info', `/v1/ml/predictions?symbol=${planted.symbol}`]) {
      const { status, body } = await get(path)
      expect([status, body.error.code]).toEqual([503, 'MODEL_UNAVAILABLE'])
    }
  })

  it('report computed figures: held-out accuracy clearly above the majority-class baseline on the planted market', async () => {
    ctx.services.ml.train(ctx.services.market)
    const { status, body } = await get('/v1/ml/model/info')
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ready', interval: '1h', horizons: [1, 4, 12], state: 'in_memory' })
    for (const m of body.models) {
      expect(m.status).toBe('ready')
      expect(m.held_out.accuracy).toBeGreaterThan(m.baseline.accuracy + 0.15)
      expect(m.samples.held_out).toBeGreaterThan(300)
    }
    const preds = await get(`/v1/ml/predictions?symbol=${planted.symbol}`)
    expect(preds.status).toBe(200)
    expect(preds.body.predictions.map((p: { horizon: number }) => p.horizon)).toEqual([1, 4, 12])
    for (const p of preds.body.predictions) expect(p.probabilities.up + p.probabilities.flat + p.probabilities.down).toBeCloseTo(1, 9)
    const one = await get(`/v1/ml/predictions?symbol=${planted.symbol}&horizon=4`)
    expect(one.body.predictions).toHaveLength(1)
    const bad = await get(`/v1/ml/predictions?symbol=${planted.symbol}&horizon=5`)
    expect([bad.status, bad.body.error.details.field]).toEqual([400, 'horizon'])
  })

  it('streams one prediction_update per closed candle on predictions.{symbol}; predictions resolve after their horizon', async () => {
    ctx.services.ml.train(ctx.services.market)
    const s = await openSocket(server.wsUrl, { token })
    s.send({ type: 'subscribe', channel: `predictions.${planted.symbol}` })
    await s.next('subscribed')
    const close = () => {
      const before = planted.series.prices()
      planted.next()
      planted.series.emitChanges(before)
    }
    close()
    const first = await s.next('prediction_update')
    expect(first.channel).toBe(`predictions.${planted.symbol}`)
    expect(first.data).toMatchObject({ symbol: planted.symbol, interval: '1h' })
    expect(first.data.predictions.map((p: { horizon: number }) => p.horizon)).toEqual([1, 4, 12])
    close()
    const second = await s.next('prediction_update')
    expect(Date.parse(second.data.candle_time) - Date.parse(first.data.candle_time)).toBe(3_600_000)
    await s.nothing('prediction_update', 200)
    const { body } = await get(`/v1/ml/predictions?symbol=${planted.symbol}&horizon=1`)
    expect(body.live[0]).toMatchObject({ horizon: 1, resolved: 1 })
    expect(body.recent.find((r: { status: string }) => r.status === 'resolved').correct).not.toBeNull()
    await s.close()
  })
})
