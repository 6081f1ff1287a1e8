import { getModelInfoRoute, getPredictionsRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { requireSymbol } from '../../route-helpers'
import type { App } from '../../types'

/** Seed 002's model endpoints over the PredictionService (MODEL_UNAVAILABLE, 503, until it has trained). */
export function registerMlRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getModelInfoRoute, s), (c) => c.json(s.ml.info(), 200))

  app.openapi(secured(getPredictionsRoute, s), (c) => {
    const q = c.req.valid('query')
    const symbol = requireSymbol(s, q.symbol)
    const horizons = q.horizon === undefined ? s.ml.horizons : [q.horizon]
    const predictions = horizons.map((h) => s.ml.predict(symbol, h))
    return c.json(
      {
        symbol,
        interval: s.ml.interval,
        predictions,
        live: horizons.map((h) => ({ horizon: h, ...s.ml.live(symbol, h) })),
        recent: s.ml.recent(symbol, { horizon: q.horizon, limit: q.recent }),
      },
      200,
    )
  })
}
