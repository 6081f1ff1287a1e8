import { isoOrNull, type Clock } from '../core'
import type { TradingControlRepository, UnitOfWork } from '../store'
import type { RiskEventLog } from './event-log'
import { PAUSE_SUBJECT } from './subjects'
import type { RiskEventRow, TradingControlRow, TradingPause } from './types'

const PAUSE_EVENT = 'trading_paused'

/** The control scope of one market's pause (every account's orders on that symbol). */
export const marketScope = (symbol: string): string => `market:${symbol}`

/**
 * Trading pauses, global (`scope = 'global'`) or per account (its id), with every stored control
 * cached: the order path reads {@link pauseOf} without touching the store.
 */
export class TradingPauses {
  private readonly controls = new Map<string, TradingControlRow>()

  constructor(
    private readonly repo: TradingControlRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly log: RiskEventLog,
  ) {
    for (const r of repo.all()) this.controls.set(r.scope, r)
  }

  /**
   * Pause or resume trading globally (`scope = 'global'`) or for one account (its id). A pause with
   * `resumeAt` lifts by itself at that time (checked on every order; its events are resolved by
   * {@link expirePauses}). Resuming resolves the account's TRADING_PAUSED denial events.
   */
  setPaused(scope: string, paused: boolean, reason: string | null = null, resumeAt: number | null = null): TradingControlRow {
    const now = this.clock.now()
    const before = this.activeControl(scope, now)
    const row: TradingControlRow = {
      scope,
      paused,
      reason: paused ? reason : null,
      // Pausing what is paused keeps its start; the reason and the duration are replaced.
      pausedAt: paused ? (before?.pausedAt ?? now) : null,
      resumeAt: paused ? resumeAt : null,
      updatedAt: now,
    }
    // A market pause concerns symbols, not accounts: it has no per-account `trading_paused` event.
    const targets = scope.startsWith('market:') ? [] : this.repo.accountOwners(scope === 'global' ? undefined : scope)
    const changed: RiskEventRow[] = []
    this.uow.run(() => {
      this.repo.upsert(row)
      for (const t of targets) {
        if (paused) {
          // One open `trading_paused` event per account, whatever the number of pauses over it.
          if (!this.log.hasOpen(t.id, PAUSE_SUBJECT, PAUSE_EVENT)) changed.push(this.pauseEvent(t.id, scope, reason, resumeAt, now))
        } else if (!this.activeControl(scope === 'global' ? t.id : 'global', now)) {
          // Resolved only when no other pause still holds the account.
          changed.push(...this.log.resolve(t.id, PAUSE_SUBJECT, now))
        }
      }
    })
    this.controls.set(scope, row)
    const userOf = new Map(targets.map((t) => [t.id, t.userId]))
    for (const r of changed) this.log.publish(r, userOf.get(r.accountId))
    return row
  }

  /** Write an account's `trading_paused` event. */
  private pauseEvent(accountId: string, scope: string, reason: string | null, resumeAt: number | null, now: number): RiskEventRow {
    const global = scope === 'global'
    const content = {
      type: PAUSE_EVENT,
      severity: 'high' as const,
      message: `Trading paused${global ? '' : ' for this account'}${reason ? `: ${reason}` : ''}`,
      symbol: null,
      subject: PAUSE_SUBJECT,
      details: { scope: global ? 'global' : 'account', reason, resume_at: isoOrNull(resumeAt) },
    }
    return this.log.insert(accountId, content, now)
  }

  /**
   * A new account under a global pause gets its `trading_paused` event, like the accounts that
   * existed when the pause began. Call inside the account's creating transaction; publish the
   * returned event after it commits.
   */
  accountOpened(accountId: string): RiskEventRow | undefined {
    const now = this.clock.now()
    const g = this.activeControl('global', now)
    return g ? this.pauseEvent(accountId, 'global', g.reason, g.resumeAt, now) : undefined
  }

  /** Record pauses whose time ran out as resumed (and resolve their events); the market tick calls it. */
  expirePauses(now = this.clock.now()): void {
    for (const c of [...this.controls.values()])
      if (c.paused && c.resumeAt !== null && c.resumeAt <= now) this.setPaused(c.scope, false)
  }

  /** The control of a scope if it pauses trading at `now` (a pause past its `resumeAt` reads as lifted). */
  private activeControl(scope: string, now: number): TradingControlRow | undefined {
    const c = this.controls.get(scope)
    return c?.paused && (c.resumeAt === null || c.resumeAt > now) ? c : undefined
  }

  /** The pause in force for an account (and for a symbol's market when given), if any: global, account, market. */
  pauseOf(accountId: string, now = this.clock.now(), symbol?: string): TradingPause | undefined {
    const g = this.activeControl('global', now)
    if (g) return { scope: 'global', reason: g.reason, pausedAt: g.pausedAt ?? now, resumeAt: g.resumeAt }
    const a = this.activeControl(accountId, now)
    if (a) return { scope: 'account', reason: a.reason, pausedAt: a.pausedAt ?? now, resumeAt: a.resumeAt }
    const m = symbol === undefined ? undefined : this.activeControl(marketScope(symbol), now)
    if (m) return { scope: 'market', symbol, reason: m.reason, pausedAt: m.pausedAt ?? now, resumeAt: m.resumeAt }
    return undefined
  }
}
