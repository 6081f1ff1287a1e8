import { hasAllScopes } from '../../../auth'
import {
  createStrategyAccountRoute,
  deleteStrategyAccountRoute,
  getLeaderboardRoute,
  getSchedulerNextRunRoute,
  getSchedulerStatsRoute,
  getSchedulerStatusRoute,
  getStrategyAccountDecisionsRoute,
  getStrategyAccountPositionsRoute,
  getStrategyAccountRoute,
  getStrategyAccountTradesRoute,
  getStrategyPositionsRoute,
  getStrategyTradesRoute,
  listStrategyAccountsRoute,
  pauseSchedulerRoute,
  resumeSchedulerRoute,
  triggerSchedulerRoute,
  updateStrategyAccountRoute,
} from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { readerOf, userOf } from '../../route-helpers'
import type { App } from '../../types'

/** Seed 001's strategy accounts, leaderboard and scheduler over the runner's services. */
export function registerRunnerRoutes(app: App, s: AppServices): void {
  const accounts = s.runner.accounts
  const scheduler = s.runner.scheduler

  app.openapi(secured(listStrategyAccountsRoute, s), (c) => c.json({ accounts: accounts.list(userOf(c)) } as never, 200))
  app.openapi(secured(createStrategyAccountRoute, s), (c) => c.json(accounts.create(userOf(c), c.req.valid('json') as never) as never, 201))
  app.openapi(secured(getStrategyAccountRoute, s), (c) => c.json(accounts.get(userOf(c), c.req.valid('param').account_id) as never, 200))
  app.openapi(secured(updateStrategyAccountRoute, s), (c) =>
    c.json(accounts.patch(userOf(c), c.req.valid('param').account_id, c.req.valid('json') as never) as never, 200),
  )
  app.openapi(secured(deleteStrategyAccountRoute, s), (c) => {
    const id = c.req.valid('param').account_id
    accounts.delete(userOf(c), id)
    return c.json({ deleted: id }, 200)
  })
  app.openapi(secured(getStrategyAccountPositionsRoute, s), (c) => {
    const q = c.req.valid('query')
    return c.json(accounts.positions(userOf(c), c.req.valid('param').account_id, { status: q.status, symbol: q.symbol?.toUpperCase() }) as never, 200)
  })
  app.openapi(secured(getStrategyAccountTradesRoute, s), (c) => {
    const q = c.req.valid('query')
    return c.json(accounts.trades(userOf(c), c.req.valid('param').account_id, { symbol: q.symbol?.toUpperCase(), limit: q.limit }) as never, 200)
  })
  app.openapi(secured(getStrategyAccountDecisionsRoute, s), (c) => {
    const q = c.req.valid('query')
    return c.json(accounts.decisions(userOf(c), c.req.valid('param').account_id, { symbol: q.symbol?.toUpperCase(), limit: q.limit }) as never, 200)
  })
  app.openapi(secured(getStrategyPositionsRoute, s), (c) => {
    const q = c.req.valid('query')
    return c.json(accounts.allPositions(userOf(c), { status: q.status, symbol: q.symbol?.toUpperCase() }) as never, 200)
  })
  app.openapi(secured(getStrategyTradesRoute, s), (c) => {
    const q = c.req.valid('query')
    return c.json(accounts.allTrades(userOf(c), { symbol: q.symbol?.toUpperCase(), limit: q.limit }) as never, 200)
  })
  app.openapi(secured(getLeaderboardRoute, s), (c) => {
    const reader = readerOf(c)
    const all = hasAllScopes(reader.scopes as never, ['admin_full'])
    return c.json({ leaderboard: accounts.leaderboard(all ? null : reader.userId) } as never, 200)
  })

  app.openapi(secured(getSchedulerStatusRoute, s), (c) => c.json(scheduler.status() as never, 200))
  app.openapi(secured(getSchedulerStatsRoute, s), (c) => c.json(scheduler.stats() as never, 200))
  app.openapi(secured(getSchedulerNextRunRoute, s), (c) => c.json(scheduler.nextRun() as never, 200))
  app.openapi(secured(triggerSchedulerRoute, s), (c) => c.json(scheduler.trigger() as never, 200))
  app.openapi(secured(pauseSchedulerRoute, s), (c) => c.json(scheduler.pause() as never, 200))
  app.openapi(secured(resumeSchedulerRoute, s), (c) => c.json(scheduler.resume() as never, 200))
}
