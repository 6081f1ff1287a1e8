import { getSmcAnalysisRoute } from '../../../generated'
import { closedCandles } from '../../../market'
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
    const candles = closedCandles(s.market, symbol, interval, lookback)
    const analysis = analyzeSmc(candles, { swingLength: swing_length, priceDecimals: inst.pricePrecision })
    return c.json(
      {
        symbol,
        interval,
        timestamp: new Date(s.clock.now()).toISOString(),
        candles_analyzed: candles.time.length,
        analysis,
      },
      200,
    )
  })
}
