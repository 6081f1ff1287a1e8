import type { Clock } from '../core'
import { createReplayMarket, loadCsvSource } from './csv'
import { createSimulatedMarket } from './simulated-market'
import type { MarketData } from './types'

/** What the market sources read from the configuration (a slice of the server's Env). */
export interface MarketSourceConfig {
  MARKET_SOURCE: 'simulated' | 'csv' | 'ccxt'
  MARKET_SEED: string
  MARKET_HISTORY_DAYS: number
  MARKET_CSV?: string
  MARKET_REPLAY_SPEED: number | 'max'
  MARKET_REPLAY_START?: number
  CCXT_EXCHANGE: string
  MARKET_SYMBOLS: string[]
  CCXT_OPTIONS?: Record<string, unknown>
  MARKET_STALE_MS: number
}

/**
 * The configured market: the embedded simulation (default), a CSV replay, or a live exchange through
 * ccxt (loaded only when chosen, so the default start never pays for it). Throws CsvSourceError or
 * an Error naming what is wrong when the source cannot be served.
 */
export async function createMarketSource(env: MarketSourceConfig, clock: Clock): Promise<MarketData> {
  switch (env.MARKET_SOURCE) {
    case 'simulated':
      return createSimulatedMarket({ clock, seed: env.MARKET_SEED, historyDays: env.MARKET_HISTORY_DAYS })
    case 'csv':
      return createReplayMarket({
        clock,
        source: loadCsvSource(env.MARKET_CSV!),
        speed: env.MARKET_REPLAY_SPEED,
        start: env.MARKET_REPLAY_START,
        seed: env.MARKET_SEED,
      })
    case 'ccxt': {
      const { createLiveMarket } = await import('./feed/live-market')
      return createLiveMarket(env, clock)
    }
  }
}
