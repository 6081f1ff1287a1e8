import { DomainError, drawdown, fromAtoms, roundHalfUp, type Clock, type IdFactory } from '../core'
import type { ActivityRepository, FillRepository, PositionRepository, ProtectionsConfig, RiskLockRepository, RiskLockRow, UnitOfWork } from '../store'
import type { RiskEventLog } from './event-log'
import type { Portfolio, RiskDenial, RiskEventRow } from './types'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

export { NO_PROTECTIONS } from './protections-config'

/** The protection names, as locks and denials carry them. */
export type ProtectionName = keyof ProtectionsConfig

/** The subject of a lock's risk event: resolved when the lock ends. */
const lockSubject = (id: string): string => `lock:${id}`

/** What the protections read from the store (the account's history). */
export interface ProtectionStores {
  locks: RiskLockRepository
  positions: Pick<PositionRepository, 'closed'>
  fills: Pick<FillRepository, 'equityMarks'>
  activity: Pick<ActivityRepository, 'accountFillAggregatesSince'>
}

/**
 * Protections after Freqtrade's (CooldownPeriod, StoplossGuard, MaxDrawdown): evaluated inside the
 * transaction that changed an account, each creates a lock when it triggers; while a lock is active,
 * orders that add exposure are denied with RISK_LOCKED. A protection never locks twice on the same
 * evidence: after a lock (expired or removed) it needs a new losing round trip, a new day, or a new
 * drawdown from the peak reached since. Active locks are cached per account (reloaded after a rollback).
 */
export class Protections {
  /** Each account's locks that were active when loaded or created (filtered by time on read). */
  private readonly active = new Map<string, RiskLockRow[]>()

  constructor(
    private readonly stores: ProtectionStores,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly log: RiskEventLog,
    private readonly newId: IdFactory,
  ) {
    // The locks active at start, so those that run out get their events resolved after a restart too.
    for (const r of stores.locks.activeAt(clock.now())) this.active.set(r.accountId, [...(this.active.get(r.accountId) ?? []), r])
  }

  private activeOf(accountId: string, now: number): RiskLockRow[] {
    let rows = this.active.get(accountId)
    if (!rows) {
      rows = this.stores.locks.list(accountId, { active: true, now, limit: 1000 })
      this.active.set(accountId, rows)
    }
    return rows.filter((r) => r.removedAt === null && r.until > now)
  }

  /** The lock that denies an order of `symbol` now (the one lasting longest), if any. */
  lockOf(accountId: string, symbol: string, now = this.clock.now()): RiskLockRow | undefined {
    let found: RiskLockRow | undefined
    for (const r of this.activeOf(accountId, now)) if ((r.symbol === null || r.symbol === symbol) && (!found || r.until > found.until)) found = r
    return found
  }

  /** The RISK_LOCKED denial of a lock. */
  static denial(lock: RiskLockRow): RiskDenial {
    return DomainError.denial('RISK_LOCKED', `Trading is locked by the ${lock.protection} protection until ${new Date(lock.until).toISOString()}: ${lock.reason}`, {
      lock_id: lock.id,
      protection: lock.protection,
      symbol: lock.symbol,
      reason: lock.reason,
      until: new Date(lock.until).toISOString(),
    })
  }

  /**
   * Run the account's protections (call inside the transaction that changed it); returns the risk
   * events of the locks created, for publishing after commit.
   */
  evaluate(p: Portfolio, cfg: ProtectionsConfig): RiskEventRow[] {
    if (!cfg.cooldown && !cfg.stoploss_guard && !cfg.max_drawdown) return []
    const out: RiskEventRow[] = []
    const lock = (protection: ProtectionName, symbol: string | null, until: number, reason: string): void => {
      out.push(this.create(p.accountId, protection, symbol, p.now, until, reason))
    }
    const { cooldown, stoploss_guard: guard, max_drawdown: maxDd } = cfg

    if (cooldown) {
      const since = p.now - cooldown.lookback_minutes * MINUTE_MS
      const bySymbol = new Map<string, { closedAt: number; net: number }[]>()
      for (const r of this.stores.positions.closed(p.accountId, { since })) {
        if (r.closedAt === null) continue
        const list = bySymbol.get(r.symbol) ?? []
        list.push({ closedAt: r.closedAt, net: r.realizedPnl - r.commission })
        bySymbol.set(r.symbol, list)
      }
      for (const [symbol, trips] of bySymbol) {
        const last = trips.slice(-cooldown.losing_trades)
        if (last.length < cooldown.losing_trades || !last.every((t) => t.net < 0)) continue
        if (this.lockOf(p.accountId, symbol, p.now)?.protection === 'cooldown') continue
        const prev = this.stores.locks.latest(p.accountId, 'cooldown', symbol)
        // The streak must end after the previous lock: the same losses never lock twice.
        if (prev && last.at(-1)!.closedAt <= prev.createdAt) continue
        lock('cooldown', symbol, p.now + cooldown.lock_minutes * MINUTE_MS, `${cooldown.losing_trades} consecutive losing round trips of ${symbol}`)
      }
    }

    if (guard && !this.hasActive(p.accountId, 'stoploss_guard', p.now)) {
      const dayStart = Math.floor(p.now / DAY_MS) * DAY_MS
      const prev = this.stores.locks.latest(p.accountId, 'stoploss_guard', null)
      if (!prev || prev.createdAt < dayStart) {
        let realized = 0
        for (const a of this.stores.activity.accountFillAggregatesSince(p.accountId, dayStart)) realized += a.realizedPnl - a.commission
        const lossPct = p.dayStartEquity > 0 ? (Math.max(0, -realized) / p.dayStartEquity) * 100 : 0
        if (realized < 0 && lossPct >= guard.max_daily_loss_percent)
          lock('stoploss_guard', null, dayStart + DAY_MS, `realized loss today ${roundHalfUp(fromAtoms(-realized), 2)} (${roundHalfUp(lossPct, 2)} % of the day's starting equity) reached ${guard.max_daily_loss_percent} %`)
      }
    }

    if (maxDd && !this.hasActive(p.accountId, 'max_drawdown', p.now)) {
      const prev = this.stores.locks.latest(p.accountId, 'max_drawdown', null)
      // After a lock the peak restarts: only a new drawdown from the equity reached since locks again.
      let peak = p.peakEquity
      if (prev) {
        peak = p.equity
        for (const m of this.stores.fills.equityMarks(p.accountId, prev.createdAt + 1)) if (m.equity > peak) peak = m.equity
      }
      const dd = drawdown(peak, p.equity) * 100
      if (dd >= maxDd.max_drawdown_percent)
        lock('max_drawdown', null, p.now + maxDd.lock_minutes * MINUTE_MS, `drawdown ${roundHalfUp(dd, 2)} % from the equity peak ${roundHalfUp(fromAtoms(peak), 2)} reached ${maxDd.max_drawdown_percent} %`)
    }
    return out
  }

  private hasActive(accountId: string, protection: ProtectionName, now: number): boolean {
    return this.activeOf(accountId, now).some((r) => r.protection === protection)
  }

  /** Write a lock and its `protection_lock` event (inside the caller's transaction). */
  private create(accountId: string, protection: ProtectionName, symbol: string | null, now: number, until: number, reason: string): RiskEventRow {
    const row: RiskLockRow = { id: this.newId('lock'), accountId, protection, symbol, reason, createdAt: now, until, removedAt: null }
    this.activeOf(accountId, now)
    this.uow.onRollback(() => this.active.delete(accountId))
    this.stores.locks.insert(row)
    this.active.get(accountId)!.push(row)
    return this.log.insert(
      accountId,
      {
        type: 'protection_lock',
        severity: 'high',
        message: `Trading locked by ${protection}${symbol ? ` on ${symbol}` : ''} until ${new Date(until).toISOString()}: ${reason}`,
        symbol,
        subject: lockSubject(row.id),
        details: { lock_id: row.id, protection, reason, until: new Date(until).toISOString() },
      },
      now,
    )
  }

  /** An account's locks, newest first. */
  list(accountId: string, f: { active?: boolean; limit?: number }): RiskLockRow[] {
    return this.stores.locks.list(accountId, { active: f.active, now: this.clock.now(), limit: f.limit ?? 100 })
  }

  /** A lock by id (any account's). */
  byId(id: string): RiskLockRow | undefined {
    return this.stores.locks.byId(id)
  }

  /** Lift a lock now (already ended: unchanged); returns it and its resolved events, for publishing. */
  remove(lock: RiskLockRow): { lock: RiskLockRow; events: RiskEventRow[] } {
    const now = this.clock.now()
    if (lock.removedAt !== null || lock.until <= now) return { lock, events: [] }
    return this.uow.run(() => {
      this.uow.onRollback(() => this.active.delete(lock.accountId))
      this.stores.locks.remove(lock.id, now)
      this.active.delete(lock.accountId)
      return { lock: { ...lock, removedAt: now }, events: this.log.resolve(lock.accountId, lockSubject(lock.id), now) }
    })
  }

  /** Resolve the events of locks that ran out (the market tick calls it); returns them for publishing. */
  expire(now = this.clock.now()): RiskEventRow[] {
    const out: RiskEventRow[] = []
    for (const [accountId, rows] of this.active) {
      const ended = rows.filter((r) => r.until <= now || r.removedAt !== null)
      if (ended.length === 0) continue
      this.uow.run(() => {
        this.uow.onRollback(() => this.active.delete(accountId))
        for (const r of ended) out.push(...this.log.resolve(accountId, lockSubject(r.id), now))
      })
      this.active.set(
        accountId,
        rows.filter((r) => !ended.includes(r)),
      )
    }
    return out
  }
}
