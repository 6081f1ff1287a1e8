import { getSmcAnalysisRoute } from '../../../generated'
import { DomainError } from '../../../core'
import { closedCandles, INTERVAL_MINUTES } from '../../../market'
import type { AppServices } from '../../../services'
import { analyzeSmc, analyzeSmcCausal } from '../../../smc'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { requireSymbol } from '../../route-helpers'

/**
 * `GET /v1/analytics/smc/{symbol}`: the SMC engine on the latest `lookback` closed candles.
 * Candles are read as columns (no per-row objects); the forming candle is dropped so the analysis
 * only changes when a candle closes. `mode=causal` adds the no-look-ahead analysis (optionally
 * on a higher timeframe aggregated from the same candles).
 */
export function registerSmcAnalysisRoute(app: App, s: AppServices): void {
  app.openapi(secured(getSmcAnalysisRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const { interval, lookback, swing_length, mode, higher_timeframe } = c.req.valid('query')
    if (higher_timeframe !== undefined) {
      if (mode !== 'causal') throw new DomainError('VALIDATION_FAILED', 'higher_timeframe needs mode=causal', { field: 'higher_timeframe' })
      if (INTERVAL_MINUTES[higher_timeframe] <= INTERVAL_MINUTES[interval]) {
        throw new DomainError('VALIDATION_FAILED', `higher_timeframe must be longer than interval (${interval})`, { field: 'higher_timeframe' })
      }
    }
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
        ...(mode === 'causal' && {
          causal: analyzeSmcCausal(candles, {
            swingLength: swing_length,
            interval,
            intervalMs: INTERVAL_MINUTES[interval] * 60_000,
            higher: higher_timeframe && { interval: higher_timeframe, intervalMs: INTERVAL_MINUTES[higher_timeframe] * 60_000 },
          }),
        }),
      },
      200,
    )
  })
}
