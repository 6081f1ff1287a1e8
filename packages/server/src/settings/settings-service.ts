import { DomainError, type Clock } from '../core'
import type { SettingsRepository } from '../store'

/** The runtime-tunable keys, in the dotted form `PUT /v1/config` takes. */
export interface RuntimeSettings {
  'trading.max_position_size': number
  'trading.max_daily_loss': number
  'trading.risk_enabled': boolean
  'notifications.slack_enabled': boolean
  'notifications.email_enabled': boolean
  'rate_limits.requests_per_minute': number
  'rate_limits.burst_per_second': number
  'rate_limits.health.limit': number
  'rate_limits.health.window_seconds': number
  'rate_limits.metrics.limit': number
  'rate_limits.metrics.window_seconds': number
  'rate_limits.admin.limit': number
  'rate_limits.admin.window_seconds': number
  'rate_limits.ml.limit': number
  'rate_limits.ml.window_seconds': number
  'exchanges.simulated.symbols': string[]
  /** Minutes between the strategy runner's trading cycles. */
  'scheduler.interval_minutes': number
}

const PREFIX = 'config:'

/**
 * Runtime settings: embedded defaults, overridden by values persisted in the store.
 * Readers call `get()` each time, so a change applies at once without restarts.
 */
export class SettingsService {
  private current: RuntimeSettings
  private readonly listeners = new Set<(s: RuntimeSettings) => void>()

  constructor(
    private readonly store: SettingsRepository,
    private readonly clock: Clock,
    defaults: RuntimeSettings,
    private readonly knownSymbols: readonly string[],
  ) {
    const stored = this.store.listByPrefix(PREFIX)
    const overrides = Object.fromEntries(stored.map((r) => [r.key.slice(PREFIX.length), r.value]))
    this.current = { ...defaults, ...pickKnown(defaults, overrides) }
  }

  get(): Readonly<RuntimeSettings> {
    return this.current
  }

  isSymbolEnabled(symbol: string): boolean {
    return this.current['exchanges.simulated.symbols'].includes(symbol)
  }

  /** Validate the whole change, persist it in one transaction, then apply it. */
  update(patch: Partial<RuntimeSettings>): RuntimeSettings {
    const symbols = patch['exchanges.simulated.symbols']
    if (symbols) {
      const unknown = symbols.filter((s) => !this.knownSymbols.includes(s))
      if (unknown.length > 0)
        throw new DomainError('INVALID_SYMBOL', `Unknown trading symbol(s): ${unknown.join(', ')}`, {
          field: 'exchanges.simulated.symbols',
          unknown,
          available: this.knownSymbols,
        })
    }
    const now = this.clock.now()
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined)
    this.store.upsertAll(
      entries.map(([key, value]) => [PREFIX + key, value] as const),
      now,
    )
    this.current = { ...this.current, ...Object.fromEntries(entries) }
    for (const l of this.listeners) l(this.current)
    return this.current
  }

  onChange(listener: (s: RuntimeSettings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A server secret generated once and kept in the store (e.g. the JWT key when none is configured). */
  secret(name: string, create: () => string): string {
    const key = `secret:${name}`
    const row = this.store.find(key)
    if (row && typeof row.value === 'string') return row.value
    const value = create()
    this.store.insertIfAbsent(key, value, this.clock.now())
    return value
  }
}

function pickKnown(defaults: RuntimeSettings, values: Record<string, unknown>): Partial<RuntimeSettings> {
  return Object.fromEntries(
    Object.entries(values).filter(([k, v]) => k in defaults && typeof v === typeof defaults[k as keyof RuntimeSettings]),
  ) as Partial<RuntimeSettings>
}
