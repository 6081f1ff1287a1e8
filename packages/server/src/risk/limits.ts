import { DomainError, invalidSymbol, type Clock } from '../core'
import type { MarketData } from '../market'
import type { SettingsService } from '../settings'
import type { RiskLimitsRepository, RiskLimitsRow, UnitOfWork } from '../store'
import { NO_PROTECTIONS } from './protections-config'
import type { EffectiveLimits, LimitsUpdate } from './types'

/** Default largest drawdown (fraction of the equity peak) when neither the account nor config sets one. */
export const DEFAULT_MAX_DRAWDOWN = 0.2

/** Largest position (base units) allowed for a symbol: its own limit, else the account's. */
export const positionLimit = (l: EffectiveLimits, symbol: string): number => l.positionLimits[symbol] ?? l.maxPositionSize

/** The limits in force per account: cached own values over the server's trading.* config. */
export class RiskLimits {
  /** Each account's own limits as stored (NaN: not set, the default applies); null: none stored. */
  private readonly cache = new Map<string, EffectiveLimits | null>()

  constructor(
    private readonly repo: RiskLimitsRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly market: MarketData,
    private readonly settings: SettingsService,
  ) {}

  /** The limits in force for an account: its own values, else the server's trading.* config. */
  limits(accountId: string): EffectiveLimits {
    let own = this.cache.get(accountId)
    if (own === undefined) {
      const row = this.repo.find(accountId)
      own = row
        ? {
            maxPositionSize: row.maxPositionSize ?? NaN,
            maxDailyLoss: row.maxDailyLoss ?? NaN,
            maxDrawdown: row.maxDrawdown ?? NaN,
            stopLossPercent: row.stopLossPercent,
            positionLimits: row.positionLimits,
            protections: row.protections ?? NO_PROTECTIONS,
            updatedAt: row.updatedAt,
          }
        : null
      this.cache.set(accountId, own)
    }
    const cfg = this.settings.get()
    const pick = (v: number | undefined, d: number): number => (v === undefined || Number.isNaN(v) ? d : v)
    return {
      maxPositionSize: pick(own?.maxPositionSize, cfg['trading.max_position_size']),
      maxDailyLoss: pick(own?.maxDailyLoss, cfg['trading.max_daily_loss']),
      maxDrawdown: pick(own?.maxDrawdown, DEFAULT_MAX_DRAWDOWN),
      stopLossPercent: own?.stopLossPercent ?? null,
      positionLimits: own?.positionLimits ?? {},
      protections: own?.protections ?? NO_PROTECTIONS,
      updatedAt: own?.updatedAt ?? null,
    }
  }

  /** Validate and persist an account's limits (omitted fields keep their value, null resets). */
  update(accountId: string, patch: LimitsUpdate): EffectiveLimits {
    this.validate(patch)
    const row = this.repo.find(accountId)
    const take = <T>(key: keyof LimitsUpdate, current: T): T => (key in patch ? (patch[key] as T) : current)
    const next: RiskLimitsRow = {
      accountId,
      maxPositionSize: take('max_position_size', row?.maxPositionSize ?? null),
      maxDailyLoss: take('max_daily_loss', row?.maxDailyLoss ?? null),
      maxDrawdown: take('max_drawdown', row?.maxDrawdown ?? null),
      stopLossPercent: take('stop_loss_percent', row?.stopLossPercent ?? null),
      positionLimits:
        patch.position_limits !== undefined
          ? Object.fromEntries(Object.entries(patch.position_limits).map(([s, v]) => [s.toUpperCase(), v]))
          : (row?.positionLimits ?? {}),
      protections: patch.protections !== undefined ? { ...(row?.protections ?? NO_PROTECTIONS), ...patch.protections } : (row?.protections ?? null),
      updatedAt: this.clock.now(),
    }
    this.uow.run(() => this.repo.upsert(next))
    this.cache.delete(accountId)
    return this.limits(accountId)
  }

  /** Every symbol of `position_limits` is listed and its limit is a positive number. */
  private validate(patch: LimitsUpdate): void {
    const symbols = Object.keys(patch.position_limits ?? {})
    const unknown = symbols.filter((s) => !this.market.instrument(s.toUpperCase()))
    if (unknown.length > 0) {
      const e = invalidSymbol(unknown[0]!, this.market.symbols())
      throw new DomainError(e.code, e.message, { ...e.details, field: 'position_limits', unknown })
    }
    for (const [s, v] of Object.entries(patch.position_limits ?? {}))
      if (!(Number.isFinite(v) && v > 0))
        throw new DomainError('VALIDATION_FAILED', `position_limits.${s} must be a positive number`, { field: `position_limits.${s}` })
  }
}
