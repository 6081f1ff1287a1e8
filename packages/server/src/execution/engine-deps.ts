import type { Clock, EventBus, IdFactory } from '../core'
import type { MarketData } from '../market'
import type { RiskService } from '../risk'
import type { SettingsService } from '../settings'
import type { ExecutionRepositories, UnitOfWork } from '../store'

/** What every part of the paper exchange shares: collaborators, storage and the fee rates. */
export interface EngineDeps {
  clock: Clock
  market: MarketData
  events: EventBus
  settings: SettingsService
  risk: RiskService
  repos: ExecutionRepositories
  uow: UnitOfWork
  ids: IdFactory
  /** Taker and maker fees in parts per million of a fill's value. */
  takerPpm: number
  makerPpm: number
  /** Initial balance of a new paper account (quote currency) and its currency. */
  initialBalance: number
  currency: string
}

export const DAY_MS = 86_400_000
