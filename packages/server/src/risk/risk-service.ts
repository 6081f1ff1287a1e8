import { idFactory, type Clock, type EventBus, type IdFactory } from '../core'
import type { MarketData } from '../market'
import type { SettingsService } from '../settings'
import {
  SqliteActivityRepository,
  SqliteFillRepository,
  SqlitePositionRepository,
  SqliteRiskEventRepository,
  SqliteRiskLimitsRepository,
  SqliteRiskLockRepository,
  SqliteTradingControlRepository,
  unitOfWork,
  type Db,
  type TradingControlRepository,
} from '../store'
import { RiskEventLog } from './event-log'
import { RiskLimits } from './limits'
import { riskMetrics, type RiskMetrics } from './metrics-view'
import { preTrade, type StalePrice } from './pre-trade'
import { Protections, type ProtectionStores } from './protections'
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
  RiskLockRow,
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
  /**
   * Whether limit usage is logged as risk events (warnings from 80 %, resolutions); default true. A
   * backtest's sandbox turns it off: nobody reads its risk events, and an entry of 99 % of the
   * balance wrote and resolved an exposure warning per round trip (a sixth of a trading backtest's time).
   */
  logUsage?: boolean
  /**
   * Where the protections read an account's history (closed positions, equity marks, fill sums);
   * the SQLite repositories on `db` unless given. A backtest's sandbox keeps its paper exchange in
   * memory and passes the same repositories here.
   */
  history?: Omit<ProtectionStores, 'locks'>
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
  private readonly logUsage: boolean
  private readonly protections: Protections
  private readonly owners: TradingControlRepository

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
    this.logUsage = options.logUsage ?? true
    const uow = unitOfWork(db)
    this.limitsOf = new RiskLimits(new SqliteRiskLimitsRepository(db), uow, clock, market, settings)
    this.log = new RiskEventLog(new SqliteRiskEventRepository(db), uow, clock, events, newId)
    this.owners = new SqliteTradingControlRepository(db)
    this.pauses = new TradingPauses(this.owners, uow, clock, this.log)
    const history = options.history ?? { positions: new SqlitePositionRepository(db), fills: new SqliteFillRepository(db), activity: new SqliteActivityRepository(db) }
    const stores = { locks: new SqliteRiskLockRepository(db), ...history }
    this.protections = new Protections(stores, uow, clock, this.log, newId)
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

  /**
   * Record pauses whose time ran out as resumed, and resolve the events of protection locks that ran
   * out; the market tick calls it.
   */
  expirePauses(now = this.clock.now()): void {
    this.pauses.expirePauses(now)
    for (const r of this.protections.expire(now)) this.publish(r, this.userOf(r.accountId))
  }

  private userOf(accountId: string): string | undefined {
    return this.owners.accountOwners(accountId)[0]?.userId
  }

  /** An account's protection locks, newest first. */
  listLocks(accountId: string, f: { active?: boolean; limit?: number } = {}): RiskLockRow[] {
    return this.protections.list(accountId, f)
  }

  /** A protection lock by id (any account's). */
  lock(id: string): RiskLockRow | undefined {
    return this.protections.byId(id)
  }

  /** Lift a protection lock now (one transaction); its event is resolved and published. */
  removeLock(lock: RiskLockRow): RiskLockRow {
    const { lock: removed, events } = this.protections.remove(lock)
    for (const r of events) this.publish(r, this.userOf(r.accountId))
    return removed
  }

  /** The pause in force for an account, if any (the global one first). */
  pauseOf(accountId: string, now = this.clock.now()): TradingPause | undefined {
    return this.pauses.pauseOf(accountId, now)
  }

  /** The pre-trade checks of an order (see {@link preTrade}); the limits are looked up only when they apply. */
  preTrade(p: Portfolio, o: OrderImpact): RiskDenial | undefined {
    if (!o.increasesExposure) return undefined
    const pause = this.pauses.pauseOf(p.accountId, p.now, o.symbol)
    const riskEnabled = this.settings.get()['trading.risk_enabled']
    const limits = riskEnabled && !pause ? this.limitsOf.limits(p.accountId) : undefined
    const lock = this.protections.lockOf(p.accountId, o.symbol, p.now)
    return preTrade(p, o, { pause, riskEnabled, limits, stalePrice: this.stalePrice(p.now), lock })
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
    const limits = this.limitsOf.limits(p.accountId)
    const rows = this.logUsage ? this.log.evaluate(p, limits) : []
    // Protections lock in the same transaction, so the very next order already sees the lock.
    rows.push(...this.protections.evaluate(p, limits.protections))
    return rows
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
