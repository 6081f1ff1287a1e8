import { roundHalfUp, type Clock, type DomainEvent, type EventBus, type IdFactory } from '../core'
import type { NewRiskEvent, RiskEventRepository, UnitOfWork } from '../store'
import { usageSeverity } from './calculations'
import { denialSubject, isPositionSubject, subjects } from './subjects'
import type { EffectiveLimits, Portfolio, RiskDenial, RiskEventQuery, RiskEventRow, RiskEventView, Severity } from './types'

/** What an event says; the log adds its id, account, time and open state. */
export type EventContent = Pick<NewRiskEvent, 'type' | 'severity' | 'message' | 'symbol' | 'subject' | 'details'>

/** Unresolved events of one account, by subject key. */
type OpenEvents = Map<string, RiskEventRow[]>

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 }

/**
 * Risk events: written inside the caller's transaction (returned to be published after it commits),
 * with each account's unresolved events cached by subject so the order path reads no event rows.
 */
export class RiskEventLog {
  /** Unresolved events per account, by subject key. */
  private readonly open = new Map<string, OpenEvents>()

  constructor(
    private readonly repo: RiskEventRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly newId: IdFactory,
  ) {}

  /**
   * The account's unresolved events by subject. Whoever calls this inside a transaction may change
   * them, so a rollback evicts the account's entry: it is reloaded from the store on next use.
   */
  private openOf(accountId: string): OpenEvents {
    this.uow.onRollback(() => this.open.delete(accountId))
    let m = this.open.get(accountId)
    if (!m) {
      m = new Map()
      for (const r of this.repo.listUnresolved(accountId)) m.set(r.subject, [...(m.get(r.subject) ?? []), r])
      this.open.set(accountId, m)
    }
    return m
  }

  /** Write a new unresolved event (call inside a transaction); returns it as stored. */
  insert(accountId: string, content: EventContent, createdAt: number): RiskEventRow {
    const inserted = this.repo.insert({ id: this.newId('risk'), accountId, ...content, resolved: false, resolvedAt: null, createdAt })
    const m = this.openOf(accountId)
    m.set(inserted.subject, [...(m.get(inserted.subject) ?? []), inserted])
    return inserted
  }

  /** Whether the account has an unresolved event of `type` about `subject`. */
  hasOpen(accountId: string, subject: string, type: string): boolean {
    return (this.openOf(accountId).get(subject) ?? []).some((r) => r.type === type)
  }

  /** Resolve every open event of the account's `subject` (call inside a transaction); returns them resolved. */
  resolve(accountId: string, subject: string, now: number): RiskEventRow[] {
    return this.resolveRows(accountId, this.openOf(accountId), subject, now)
  }

  private resolveRows(accountId: string, open: OpenEvents, key: string, now: number): RiskEventRow[] {
    const rows = open.get(key)
    if (!rows || rows.length === 0) return []
    this.repo.resolveSubject(accountId, key, now)
    open.delete(key)
    return rows.map((r) => ({ ...r, resolved: true, resolvedAt: now }))
  }

  /**
   * Write an `order_denied` event (call inside a transaction); returns it for publishing after
   * commit. Severity: critical for loss and drawdown limits, high otherwise.
   */
  recordDenial(accountId: string, denial: RiskDenial, symbol: string | undefined): RiskEventRow {
    const critical = denial.code === 'DAILY_LOSS_LIMIT_EXCEEDED' || denial.code === 'MAX_DRAWDOWN_EXCEEDED'
    const content: EventContent = {
      type: 'order_denied',
      severity: critical ? 'critical' : 'high',
      message: `Order denied (${denial.code}): ${denial.message}`,
      symbol: symbol ?? null,
      subject: denialSubject(denial.code, symbol),
      details: { code: denial.code, ...denial.details },
    }
    return this.insert(accountId, content, this.clock.now())
  }

  /**
   * Compare usage with the limits (call inside the transaction that changed the account): write a
   * warning when a limit is ≥ 80 % used (escalating severity in place), resolve every open event of a
   * subject whose usage fell back below 80 %. Returns the rows written, for publishing after commit.
   */
  evaluate(p: Portfolio, l: EffectiveLimits): RiskEventRow[] {
    const open = this.openOf(p.accountId)
    const changed: RiskEventRow[] = []
    const seen = new Set<string>()
    for (const s of subjects(p, l)) {
      seen.add(s.key)
      const severity = usageSeverity(s.usage)
      const rows = open.get(s.key) ?? []
      if (!severity) {
        if (rows.length > 0) changed.push(...this.resolveRows(p.accountId, open, s.key, p.now))
        continue
      }
      const details = { ...s.details, usage: roundHalfUp(Number.isFinite(s.usage) ? s.usage : 1, 4) }
      const warning = rows.find((r) => r.type === s.type)
      if (!warning) {
        const content = { type: s.type, severity, message: s.message, symbol: s.symbol, subject: s.key, details }
        changed.push(this.insert(p.accountId, content, p.now))
      } else if (SEVERITY_RANK[severity] > SEVERITY_RANK[warning.severity]) {
        this.repo.updateSeverity(warning.id, severity, details)
        warning.severity = severity
        warning.details = details
        changed.push({ ...warning })
      }
    }
    // Positions that were closed: their subjects have no usage any more.
    for (const key of [...open.keys()])
      if (isPositionSubject(key) && !seen.has(key)) changed.push(...this.resolveRows(p.accountId, open, key, p.now))
    return changed
  }

  /** Publish a risk event (after the transaction that wrote it committed). */
  publish(row: RiskEventRow, userId: string | undefined): void {
    const event: DomainEvent = {
      kind: 'risk_event',
      accountId: row.accountId,
      userId,
      data: riskEventView(row) as unknown as Record<string, unknown>,
      at: this.clock.now(),
    }
    if (row.symbol) event.symbol = row.symbol
    this.events.publish(event)
  }

  /** The account's events matching the query, newest first (100 unless `limit` says). */
  list(accountId: string, f: RiskEventQuery = {}): RiskEventView[] {
    return this.repo.list(accountId, { ...f, limit: f.limit ?? 100 }).map(riskEventView)
  }
}

/** The contract's RiskEvent for a stored event. */
export function riskEventView(r: RiskEventRow): RiskEventView {
  return {
    id: r.id,
    type: r.type,
    severity: r.severity,
    message: r.message,
    symbol: r.symbol,
    details: r.details,
    timestamp: new Date(r.createdAt).toISOString(),
    resolved: r.resolved,
    resolved_at: r.resolvedAt === null ? null : new Date(r.resolvedAt).toISOString(),
  }
}
