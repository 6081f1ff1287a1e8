import { computeIndicators, type IndicatorName } from '../../../analytics/indicators'
import { getIndicatorsRoute } from '../../../generated'
import { closedCandles } from '../../../market'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { requireSymbol } from '../../route-helpers'
import type { App } from '../../types'

const list = (text: string): string[] => text.split(',').filter(Boolean)
const periods = (text: string): number[] => list(text).map(Number)
const seconds = (ms: number): number => Math.floor(ms / 1000)

/**
 * `GET /v1/analytics/indicators/{symbol}`: the indicator engine over the latest `lookback` closed
 * candles (a fixed window, so recursive indicators are reproducible); the engine validates periods
 * and names the offending query parameter.
 */
export function registerIndicatorsRoute(app: App, s: AppServices): void {
  app.openapi(secured(getIndicatorsRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const q = c.req.valid('query')
    const candles = closedCandles(s.market, symbol, q.interval, q.lookback)
    const r = computeIndicators(candles, {
      indicators: list(q.indicators) as IndicatorName[],
      periods: {
        sma: periods(q.sma_periods),
        ema: periods(q.ema_periods),
        rsi: q.rsi_period,
        atr: q.atr_period,
        bollinger: { period: q.bb_period, k: q.bb_k },
        macd: { fast: q.macd_fast, slow: q.macd_slow, signal: q.macd_signal },
        volume_sma: q.volume_sma_period,
      },
      series: q.series,
    })
    const { candles: used, time, series_time, ...values } = r
    return c.json(
      {
        symbol,
        interval: q.interval,
        timestamp: new Date(s.market.now()).toISOString(),
        candles_used: used,
        candle_time: time === null ? null : seconds(time),
        ...(series_time ? { series_times: series_time.map(seconds) } : {}),
        ...values,
      },
      200,
    )
  })
}
