import { getSmcAnalysisRoute } from '../../../generated'
import { INTERVAL_MINUTES } from '../../../market'
import type { AppServices } from '../../../services'
import { analyzeSmc } from '../../../smc'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { requireSymbol } from '../../route-helpers'

/**
 * `GET /v1/analytics/smc/{symbol}`: the SMC engine on the latest `lookback` closed candles.
 * Candles are read as columns (no per-row objects); the forming candle is dropped so the analysis
 * only changes when a candle closes.
 */
export function registerSmcAnalysisRoute(app: App, s: AppServices): void {
  app.openapi(secured(getSmcAnalysisRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const { interval, lookback, swing_length } = c.req.valid('query')
    const inst = s.market.requireInstrument(symbol)
    // One more than asked, in case the last one is still forming.
    const cols = s.market.candleColumns(symbol, interval, { limit: lookback + 1 })
    let end = cols.time.length
    // Market time, not the clock: a replay's candles carry the data's time.
    if (end > 0 && cols.time[end - 1]! + INTERVAL_MINUTES[interval] * 60_000 > s.market.now()) end--
    const start = Math.max(0, end - lookback)
    const candles = {
      time: cols.time.subarray(start, end),
      open: cols.open.subarray(start, end),
      high: cols.high.subarray(start, end),
      low: cols.low.subarray(start, end),
      close: cols.close.subarray(start, end),
      volume: cols.volume.subarray(start, end),
    }
    const analysis = analyzeSmc(candles, { swingLength: swing_length, priceDecimals: inst.pricePrecision })
    return c.json(
      {
        symbol,
        interval,
        timestamp: new Date(s.clock.now()).toISOString(),
        candles_analyzed: end - start,
        analysis,
      },
      200,
    )
  })
}
