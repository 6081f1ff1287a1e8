import { idFactory, type Clock, type EventBus, type IdFactory } from '../core'
import type { MarketData } from '../market'
import type { SettingsService } from '../settings'
import { SqliteRiskEventRepository, SqliteRiskLimitsRepository, SqliteTradingControlRepository, unitOfWork, type Db } from '../store'
import { RiskEventLog } from './event-log'
import { RiskLimits } from './limits'
import { riskMetrics, type RiskMetrics } from './metrics-view'
import { preTrade, type StalePrice } from './pre-trade'
import { TradingPauses } from './trading-pauses'
import type {
  EffectiveLimits,
  LimitsUpdate,
  OrderImpact,
  Portfolio,
  RiskDenial,
  RiskEventQuery,
  RiskEventRow,
  RiskEventView,
  TradingControlRow,
  TradingPause,
} from './types'

/** Options of the risk service. */
export interface RiskOptions {
  /**
   * Largest age (ms) of the last price for an order that adds exposure (MARKET_STALE_MS); older is
   * STALE_PRICE. Undefined: no check (a backtest's market moves only with its data).
   */
  staleMs?: number
}

/**
 * Pre-trade checks, limits, metrics and risk events: one facade over the limits, the trading
 * pauses and the event log. Checks return a denial (stable code and details) instead of throwing;
 * events are written inside the caller's transaction and handed back to be published after it commits.
 */
export class RiskService {
  private readonly limitsOf: RiskLimits
  private readonly pauses: TradingPauses
  private readonly log: RiskEventLog
  private readonly staleMs: number | undefined

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly market: MarketData,
    private readonly settings: SettingsService,
    events: EventBus,
    newId: IdFactory = idFactory(),
    options: RiskOptions = {},
  ) {
    this.staleMs = options.staleMs
    const uow = unitOfWork(db)
    this.limitsOf = new RiskLimits(new SqliteRiskLimitsRepository(db), uow, clock, market, settings)
    this.log = new RiskEventLog(new SqliteRiskEventRepository(db), uow, clock, events, newId)
    this.pauses = new TradingPauses(new SqliteTradingControlRepository(db), uow, clock, this.log)
  }

  /** The limits in force for an account: its own values, else the server's trading.* config. */
  limits(accountId: string): EffectiveLimits {
    return this.limitsOf.limits(accountId)
  }

  /** Validate and persist an account's limits (omitted fields keep their value, null resets). */
  updateLimits(accountId: string, patch: LimitsUpdate): EffectiveLimits {
    return this.limitsOf.update(accountId, patch)
  }

  /**
   * Pause or resume trading globally (`scope = 'global'`) or for one account (its id). A pause with
   * `resumeAt` lifts by itself at that time (checked on every order; its events are resolved by
   * {@link expirePauses}). Resuming resolves the account's TRADING_PAUSED denial events.
   */
  setPaused(scope: string, paused: boolean, reason: string | null = null, resumeAt: number | null = null): TradingControlRow {
    return this.pauses.setPaused(scope, paused, reason, resumeAt)
  }

  /**
   * A new account under a global pause gets its `trading_paused` event. Call inside the account's
   * creating transaction; publish the returned event after it commits.
   */
  accountOpened(accountId: string): RiskEventRow | undefined {
    return this.pauses.accountOpened(accountId)
  }

  /** Record pauses whose time ran out as resumed (and resolve their events); the market tick calls it. */
  expirePauses(now = this.clock.now()): void {
    this.pauses.expirePauses(now)
  }

  /** The pause in force for an account, if any (the global one first). */
  pauseOf(accountId: string, now = this.clock.now()): TradingPause | undefined {
    return this.pauses.pauseOf(accountId, now)
  }

  /** The pre-trade checks of an order (see {@link preTrade}); the limits are looked up only when they apply. */
  preTrade(p: Portfolio, o: OrderImpact): RiskDenial | undefined {
    if (!o.increasesExposure) return undefined
    const pause = this.pauses.pauseOf(p.accountId, p.now)
    const riskEnabled = this.settings.get()['trading.risk_enabled']
    const limits = riskEnabled && !pause ? this.limitsOf.limits(p.accountId) : undefined
    return preTrade(p, o, { pause, riskEnabled, limits, stalePrice: this.stalePrice(p.now) })
  }

  /**
   * The age of the last price when older than MARKET_STALE_MS. Every market source updates all its
   * symbols' prices together, so a symbol's last price is as old as the market's last update.
   */
  private stalePrice(now: number): StalePrice | undefined {
    if (this.staleMs === undefined) return undefined
    const lastPriceAt = this.market.lastUpdate()
    const ageMs = now - lastPriceAt
    return ageMs > this.staleMs ? { ageMs, maxAgeMs: this.staleMs, lastPriceAt } : undefined
  }

  /** Write an `order_denied` event (call inside a transaction); returns it for publishing after commit. */
  recordDenial(accountId: string, denial: RiskDenial, symbol: string | undefined): RiskEventRow {
    return this.log.recordDenial(accountId, denial, symbol)
  }

  /**
   * Compare usage with the limits (call inside the transaction that changed the account): warnings
   * from 80 % usage, resolutions below it. Returns the rows written, for publishing after commit.
   */
  evaluate(p: Portfolio): RiskEventRow[] {
    return this.log.evaluate(p, this.limitsOf.limits(p.accountId))
  }

  /** Publish risk events (after the transaction that wrote them committed). */
  publish(row: RiskEventRow, userId: string | undefined): void {
    this.log.publish(row, userId)
  }

  listEvents(accountId: string, f: RiskEventQuery = {}): RiskEventView[] {
    return this.log.list(accountId, f)
  }

  /**
   * The contract's RiskMetrics for a portfolio, given the largest drawdown of its equity history
   * (marks and current equity, fraction of the peak; see {@link maxDrawdown}).
   */
  metrics(p: Portfolio, worstDrawdown: number): RiskMetrics {
    return riskMetrics(p, this.limitsOf.limits(p.accountId), worstDrawdown, this.market)
  }
}
