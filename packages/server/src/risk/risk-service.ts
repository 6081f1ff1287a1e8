import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm'
import { randomId } from '../auth'
import { DomainError, invalidSymbol, isoOrNull, type Clock, type DomainEvent, type EventBus } from '../core'
import type { MarketData } from '../market'
import type { SettingsService } from '../settings'
import { tables, unitOfWork, type Db, type UnitOfWork } from '../store'
import { historicalVar, returns, riskScore, usage, usageSeverity, WARNING_USAGE } from './calculations'
import type { EffectiveLimits, OrderImpact, Portfolio, RiskEventRow, RiskEventView, Severity, TradingControlRow, TradingPause } from './types'

/** Default largest drawdown (fraction of the equity peak) when neither the account nor config sets one. */
export const DEFAULT_MAX_DRAWDOWN = 0.2
/** Hourly returns the VaR replays (one week). */
export const VAR_SCENARIOS = 168

const ATOMS = 100_000_000
const q = (atoms: number): number => atoms / ATOMS
const round = (x: number, d = 8): number => Math.round(x * 10 ** d) / 10 ** d

/** A pre-trade denial: a DomainError returned as a value, never thrown. */
export type RiskDenial = DomainError

export interface LimitsUpdate {
  max_position_size?: number | null
  max_daily_loss?: number | null
  max_drawdown?: number | null
  stop_loss_percent?: number | null
  position_limits?: Record<string, number>
}

export interface RiskEventQuery {
  severity?: Severity
  since?: number
  until?: number
  resolved?: boolean
  limit?: number
}

interface Subject {
  key: string
  type: string
  symbol: string | null
  usage: number
  message: string
  details: Record<string, unknown>
}

/**
 * Pre-trade checks, limits, metrics and risk events. Checks return a denial (stable code and
 * details) instead of throwing; events are written inside the caller's transaction and handed back
 * to be published after it commits.
 */
export class RiskService {
  private readonly limitsCache = new Map<string, EffectiveLimits | null>()
  /** Unresolved events per account, by subject key. */
  private readonly open = new Map<string, Map<string, RiskEventRow[]>>()
  private readonly controls = new Map<string, TradingControlRow>()
  private readonly uow: UnitOfWork

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly market: MarketData,
    private readonly settings: SettingsService,
    private readonly events: EventBus,
  ) {
    this.uow = unitOfWork(db)
    for (const r of db.select().from(tables.tradingControls).all()) this.controls.set(r.scope, r)
  }

  // ---- limits -------------------------------------------------------------------------------

  /** The limits in force for an account: its own values, else the server's trading.* config. */
  limits(accountId: string): EffectiveLimits {
    let own = this.limitsCache.get(accountId)
    if (own === undefined) {
      const row = this.db.select().from(tables.riskLimits).where(eq(tables.riskLimits.accountId, accountId)).get()
      own = row
        ? {
            maxPositionSize: row.maxPositionSize ?? NaN,
            maxDailyLoss: row.maxDailyLoss ?? NaN,
            maxDrawdown: row.maxDrawdown ?? NaN,
            stopLossPercent: row.stopLossPercent,
            positionLimits: row.positionLimits,
            updatedAt: row.updatedAt,
          }
        : null
      this.limitsCache.set(accountId, own)
    }
    const cfg = this.settings.get()
    const pick = (v: number | undefined, d: number): number => (v === undefined || Number.isNaN(v) ? d : v)
    return {
      maxPositionSize: pick(own?.maxPositionSize, cfg['trading.max_position_size']),
      maxDailyLoss: pick(own?.maxDailyLoss, cfg['trading.max_daily_loss']),
      maxDrawdown: pick(own?.maxDrawdown, DEFAULT_MAX_DRAWDOWN),
      stopLossPercent: own?.stopLossPercent ?? null,
      positionLimits: own?.positionLimits ?? {},
      updatedAt: own?.updatedAt ?? null,
    }
  }

  /** Validate and persist an account's limits (omitted fields keep their value, null resets). */
  updateLimits(accountId: string, patch: LimitsUpdate): EffectiveLimits {
    const known = this.market.symbols()
    const symbols = Object.keys(patch.position_limits ?? {})
    const unknown = symbols.filter((s) => !this.market.instrument(s.toUpperCase()))
    if (unknown.length > 0) {
      const e = invalidSymbol(unknown[0]!, known)
      throw new DomainError(e.code, e.message, { ...e.details, field: 'position_limits', unknown })
    }
    for (const [s, v] of Object.entries(patch.position_limits ?? {}))
      if (!(Number.isFinite(v) && v > 0))
        throw new DomainError('VALIDATION_FAILED', `position_limits.${s} must be a positive number`, { field: `position_limits.${s}` })
    const row = this.db.select().from(tables.riskLimits).where(eq(tables.riskLimits.accountId, accountId)).get()
    const now = this.clock.now()
    const take = <T>(key: keyof LimitsUpdate, current: T): T => (key in patch ? (patch[key] as T) : current)
    const next = {
      accountId,
      maxPositionSize: take('max_position_size', row?.maxPositionSize ?? null),
      maxDailyLoss: take('max_daily_loss', row?.maxDailyLoss ?? null),
      maxDrawdown: take('max_drawdown', row?.maxDrawdown ?? null),
      stopLossPercent: take('stop_loss_percent', row?.stopLossPercent ?? null),
      positionLimits:
        patch.position_limits !== undefined
          ? Object.fromEntries(Object.entries(patch.position_limits).map(([s, v]) => [s.toUpperCase(), v]))
          : (row?.positionLimits ?? {}),
      updatedAt: now,
    }
    this.uow.run(() => {
      this.db.insert(tables.riskLimits).values(next).onConflictDoUpdate({ target: tables.riskLimits.accountId, set: next }).run()
    })
    this.limitsCache.delete(accountId)
    return this.limits(accountId)
  }

  /** Largest position (lots) allowed for a symbol. */
  private limitLots(l: EffectiveLimits, symbol: string, qtyScale: number): number {
    const units = l.positionLimits[symbol] ?? l.maxPositionSize
    return Math.floor(units * qtyScale + 1e-9)
  }

  // ---- trading pause ------------------------------------------------------------------------

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
    const a = tables.accounts
    const targets = this.db
      .select({ id: a.id, userId: a.userId })
      .from(a)
      .where(scope === 'global' ? undefined : eq(a.id, scope))
      .all()
    const changed: RiskEventRow[] = []
    this.uow.run(() => {
      this.db.insert(tables.tradingControls).values(row).onConflictDoUpdate({ target: tables.tradingControls.scope, set: row }).run()
      for (const t of targets) {
        const open = this.openOf(t.id)
        if (paused) {
          // One open `trading_paused` event per account, whatever the number of pauses over it.
          if (!(open.get('paused') ?? []).some((r) => r.type === 'trading_paused')) changed.push(this.insert(this.pauseEvent(t.id, scope, reason, resumeAt, now)))
        } else if (!this.activeControl(scope === 'global' ? t.id : 'global', now)) {
          // Resolved only when no other pause still holds the account.
          changed.push(...this.resolveRows(t.id, open, 'paused', now))
        }
      }
    })
    this.controls.set(scope, row)
    const userOf = new Map(targets.map((t) => [t.id, t.userId]))
    for (const r of changed) this.publish(r, userOf.get(r.accountId))
    return row
  }

  private pauseEvent(accountId: string, scope: string, reason: string | null, resumeAt: number | null, now: number): RiskEventRow {
    const global = scope === 'global'
    return {
      seq: 0,
      id: randomId('risk'),
      accountId,
      type: 'trading_paused',
      severity: 'high',
      message: `Trading paused${global ? '' : ' for this account'}${reason ? `: ${reason}` : ''}`,
      symbol: null,
      subject: 'paused',
      details: { scope: global ? 'global' : 'account', reason, resume_at: isoOrNull(resumeAt) },
      resolved: false,
      resolvedAt: null,
      createdAt: now,
    }
  }

  /**
   * A new account under a global pause gets its `trading_paused` event, like the accounts that
   * existed when the pause began. Call inside the account's creating transaction; publish the
   * returned event after it commits.
   */
  accountOpened(accountId: string): RiskEventRow | undefined {
    const now = this.clock.now()
    const g = this.activeControl('global', now)
    return g ? this.insert(this.pauseEvent(accountId, 'global', g.reason, g.resumeAt, now)) : undefined
  }

  /** Record pauses whose time ran out as resumed (and resolve their events); the market tick calls it. */
  expirePauses(now = this.clock.now()): void {
    for (const c of [...this.controls.values()])
      if (c.paused && c.resumeAt !== null && c.resumeAt <= now) this.setPaused(c.scope, false)
  }

  /** The control of a scope as in force at `now` (an expired pause reads as active), if any. */
  private activeControl(scope: string, now: number): TradingControlRow | undefined {
    const c = this.controls.get(scope)
    return c?.paused && (c.resumeAt === null || c.resumeAt > now) ? c : undefined
  }

  /** The pause in force for an account, if any (the global one first). */
  pauseOf(accountId: string, now = this.clock.now()): TradingPause | undefined {
    const g = this.activeControl('global', now)
    if (g) return { scope: 'global', reason: g.reason, pausedAt: g.pausedAt ?? now, resumeAt: g.resumeAt }
    const a = this.activeControl(accountId, now)
    if (a) return { scope: 'account', reason: a.reason, pausedAt: a.pausedAt ?? now, resumeAt: a.resumeAt }
    return undefined
  }

  // ---- pre-trade checks ---------------------------------------------------------------------

  /**
   * Every pre-trade check of an exposure-increasing order, in order: TRADING_PAUSED; with risk
   * enabled POSITION_LIMIT_EXCEEDED, DAILY_LOSS_LIMIT_EXCEEDED and MAX_DRAWDOWN_EXCEEDED; then
   * INSUFFICIENT_BALANCE (always: it is the ledger's own constraint). Orders that only reduce a
   * position are never blocked, not even by a pause, so a trader can always get flat.
   */
  preTrade(p: Portfolio, o: OrderImpact): RiskDenial | undefined {
    if (!o.increasesExposure) return undefined
    const pause = this.pauseOf(p.accountId, p.now)
    if (pause)
      return new DomainError('TRADING_PAUSED', pause.scope === 'global' ? 'Trading is paused' : 'Trading is paused for this account', { scope: pause.scope, reason: pause.reason, resume_at: isoOrNull(pause.resumeAt) })
    if (this.settings.get()['trading.risk_enabled']) {
      const l = this.limits(p.accountId)
      const limit = this.limitLots(l, o.symbol, o.qtyScale)
      if (Math.abs(o.resultingLots) > limit) {
        const base = (lots: number): number => lots / o.qtyScale
        return new DomainError('POSITION_LIMIT_EXCEEDED', `Position limit exceeded for ${o.symbol}`, {
          symbol: o.symbol,
          limit: base(limit),
          current: base(Math.abs(o.currentLots)),
          requested: base(Math.abs(o.resultingLots - o.currentLots)),
          resulting: base(Math.abs(o.resultingLots)),
        })
      }
      const dailyLoss = Math.max(0, p.dayStartEquity - p.equity)
      if (q(dailyLoss) >= l.maxDailyLoss)
        return new DomainError('DAILY_LOSS_LIMIT_EXCEEDED', 'Daily loss limit reached: only orders that reduce positions are accepted today', { daily_loss: round(q(dailyLoss)), limit: l.maxDailyLoss })
      const dd = p.peakEquity > 0 ? Math.max(0, (p.peakEquity - p.equity) / p.peakEquity) : 0
      if (dd >= l.maxDrawdown)
        return new DomainError('MAX_DRAWDOWN_EXCEEDED', 'Maximum drawdown reached: only orders that reduce positions are accepted', { drawdown: round(dd, 6), limit: l.maxDrawdown, peak_equity: q(p.peakEquity), equity: q(p.equity) })
    }
    const available = p.equity - p.exposure
    if (o.requiredMargin > available)
      return new DomainError('INSUFFICIENT_BALANCE', 'Insufficient balance to execute trade', { required: round(q(o.requiredMargin), 2), available: round(q(Math.max(0, available)), 2) })
    return undefined
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * The account's unresolved events by subject. Whoever calls this inside a transaction may change
   * them, so a rollback evicts the account's entry: it is reloaded from the store on next use.
   */
  private openOf(accountId: string): Map<string, RiskEventRow[]> {
    this.uow.onRollback(() => this.open.delete(accountId))
    let m = this.open.get(accountId)
    if (!m) {
      m = new Map()
      const rows = this.db
        .select()
        .from(tables.riskEvents)
        .where(and(eq(tables.riskEvents.accountId, accountId), eq(tables.riskEvents.resolved, false)))
        .all()
      for (const r of rows) m.set(r.subject, [...(m.get(r.subject) ?? []), r])
      this.open.set(accountId, m)
    }
    return m
  }

  private insert(row: RiskEventRow): RiskEventRow {
    const { seq: _seq, ...values } = row
    const inserted = this.db.insert(tables.riskEvents).values(values).returning().get()
    const m = this.openOf(row.accountId)
    m.set(row.subject, [...(m.get(row.subject) ?? []), inserted])
    return inserted
  }

  private resolveRows(accountId: string, subjects: Map<string, RiskEventRow[]>, key: string, now: number): RiskEventRow[] {
    const rows = subjects.get(key)
    if (!rows || rows.length === 0) return []
    this.db
      .update(tables.riskEvents)
      .set({ resolved: true, resolvedAt: now })
      .where(and(eq(tables.riskEvents.accountId, accountId), eq(tables.riskEvents.subject, key), eq(tables.riskEvents.resolved, false)))
      .run()
    subjects.delete(key)
    return rows.map((r) => ({ ...r, resolved: true, resolvedAt: now }))
  }

  /** Subject key of a denial: resolution follows the usage of what was denied. */
  private static denialSubject(code: string, symbol: string | undefined): string {
    switch (code) {
      case 'POSITION_LIMIT_EXCEEDED':
        return `position:${symbol}`
      case 'DAILY_LOSS_LIMIT_EXCEEDED':
        return 'daily_loss'
      case 'MAX_DRAWDOWN_EXCEEDED':
        return 'drawdown'
      case 'TRADING_PAUSED':
        return 'paused'
      default:
        return 'exposure'
    }
  }

  /**
   * Write an `order_denied` event (call inside a transaction); returns it for publishing after
   * commit. Severity: critical for loss and drawdown limits, high otherwise.
   */
  recordDenial(accountId: string, denial: RiskDenial, symbol: string | undefined): RiskEventRow {
    const critical = denial.code === 'DAILY_LOSS_LIMIT_EXCEEDED' || denial.code === 'MAX_DRAWDOWN_EXCEEDED'
    return this.insert({
      seq: 0,
      id: randomId('risk'),
      accountId,
      type: 'order_denied',
      severity: critical ? 'critical' : 'high',
      message: `Order denied (${denial.code}): ${denial.message}`,
      symbol: symbol ?? null,
      subject: RiskService.denialSubject(denial.code, symbol),
      details: { code: denial.code, ...denial.details },
      resolved: false,
      resolvedAt: null,
      createdAt: this.clock.now(),
    })
  }

  private subjects(p: Portfolio, l: EffectiveLimits): Subject[] {
    const out: Subject[] = []
    for (const pos of p.positions) {
      const limitUnits = l.positionLimits[pos.symbol] ?? l.maxPositionSize
      const used = pos.lots / pos.qtyScale
      out.push({
        key: `position:${pos.symbol}`,
        type: 'position_limit_warning',
        symbol: pos.symbol,
        usage: usage(used, limitUnits),
        message: `Position limit approaching for ${pos.symbol}`,
        details: { used, limit: limitUnits },
      })
    }
    const dailyLoss = q(Math.max(0, p.dayStartEquity - p.equity))
    const dd = p.peakEquity > 0 ? Math.max(0, (p.peakEquity - p.equity) / p.peakEquity) : 0
    out.push(
      {
        key: 'exposure',
        type: 'exposure_warning',
        symbol: null,
        usage: usage(p.exposure, Math.max(0, p.equity)),
        message: 'Total exposure approaching the account equity',
        details: { used: q(p.exposure), limit: q(p.equity) },
      },
      {
        key: 'daily_loss',
        type: 'daily_loss_warning',
        symbol: null,
        usage: usage(dailyLoss, l.maxDailyLoss),
        message: 'Daily loss approaching its limit',
        details: { used: round(dailyLoss), limit: l.maxDailyLoss },
      },
      {
        key: 'drawdown',
        type: 'drawdown_warning',
        symbol: null,
        usage: usage(dd, l.maxDrawdown),
        message: 'Drawdown approaching its limit',
        details: { used: round(dd, 6), limit: l.maxDrawdown },
      },
    )
    return out
  }

  /**
   * Compare usage with the limits (call inside the transaction that changed the account): write a
   * warning when a limit is ≥ 80 % used (escalating severity in place), resolve every open event of a
   * subject whose usage fell back below 80 %. Returns the rows written, for publishing after commit.
   */
  evaluate(p: Portfolio): RiskEventRow[] {
    const l = this.limits(p.accountId)
    const open = this.openOf(p.accountId)
    const changed: RiskEventRow[] = []
    const seen = new Set<string>()
    for (const s of this.subjects(p, l)) {
      seen.add(s.key)
      const severity = usageSeverity(s.usage)
      const rows = open.get(s.key) ?? []
      if (!severity) {
        if (rows.length > 0) changed.push(...this.resolveRows(p.accountId, open, s.key, p.now))
        continue
      }
      const details = { ...s.details, usage: round(Number.isFinite(s.usage) ? s.usage : 1, 4) }
      const warning = rows.find((r) => r.type === s.type)
      if (!warning) {
        changed.push(
          this.insert({
            seq: 0,
            id: randomId('risk'),
            accountId: p.accountId,
            type: s.type,
            severity,
            message: s.message,
            symbol: s.symbol,
            subject: s.key,
            details,
            resolved: false,
            resolvedAt: null,
            createdAt: p.now,
          }),
        )
      } else if (rank(severity) > rank(warning.severity)) {
        this.db.update(tables.riskEvents).set({ severity, details }).where(eq(tables.riskEvents.id, warning.id)).run()
        warning.severity = severity
        warning.details = details
        changed.push({ ...warning })
      }
    }
    // Positions that were closed: their subjects have no usage any more.
    for (const key of [...open.keys()])
      if (key.startsWith('position:') && !seen.has(key)) changed.push(...this.resolveRows(p.accountId, open, key, p.now))
    return changed
  }

  /** Publish risk events (after the transaction that wrote them committed). */
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

  listEvents(accountId: string, f: RiskEventQuery = {}): RiskEventView[] {
    const e = tables.riskEvents
    const where: SQL[] = [eq(e.accountId, accountId)]
    if (f.severity) where.push(eq(e.severity, f.severity))
    if (f.since !== undefined) where.push(gte(e.createdAt, f.since))
    if (f.until !== undefined) where.push(lte(e.createdAt, f.until))
    if (f.resolved !== undefined) where.push(eq(e.resolved, f.resolved))
    return this.db
      .select()
      .from(e)
      .where(and(...where))
      .orderBy(desc(e.createdAt), desc(e.seq))
      .limit(f.limit ?? 100)
      .all()
      .map(riskEventView)
  }

  // ---- metrics ------------------------------------------------------------------------------

  /**
   * The contract's RiskMetrics for a portfolio, given the largest drawdown of its equity history
   * (marks and current equity, fraction of the peak; see {@link maxDrawdown}).
   */
  metrics(p: Portfolio, worstDrawdown: number) {
    const l = this.limits(p.accountId)
    const dailyPnl = p.equity - p.dayStartEquity
    const dailyLoss = Math.max(0, -dailyPnl)
    const dd = p.peakEquity > 0 ? Math.max(0, (p.peakEquity - p.equity) / p.peakEquity) : 0
    const worst = Math.max(worstDrawdown, dd)
    const holdings = p.positions.map((pos) => {
      const closes = this.market.candleColumns(pos.symbol, '1h', { limit: VAR_SCENARIOS + 1 }).close
      return { value: q(pos.side === 'long' ? pos.value : -pos.value), returns: returns(closes) }
    })
    const limits: Record<string, { used: number; limit: number }> = {}
    for (const [symbol, limit] of Object.entries(l.positionLimits)) limits[symbol] = { used: 0, limit }
    for (const pos of p.positions)
      limits[pos.symbol] = { used: pos.lots / pos.qtyScale, limit: l.positionLimits[pos.symbol] ?? l.maxPositionSize }
    limits.total = { used: round(q(p.exposure), 8), limit: round(q(Math.max(0, p.equity)), 8) }
    const marginUsedPct = p.equity > 0 ? (p.exposure / p.equity) * 100 : p.exposure > 0 ? 100 : 0
    return {
      account_balance: q(p.balance),
      available_balance: round(q(Math.max(0, p.equity - p.exposure))),
      equity: q(p.equity),
      total_exposure: q(p.exposure),
      daily_pnl: q(dailyPnl),
      daily_loss: q(dailyLoss),
      max_drawdown: round(worst * 100, 4),
      current_drawdown: round(dd * 100, 4),
      var_95: round(historicalVar(holdings, 0.95), 2),
      risk_score: riskScore({
        exposure: usage(p.exposure, Math.max(0, p.equity)),
        dailyLoss: usage(q(dailyLoss), l.maxDailyLoss),
        drawdown: usage(dd, l.maxDrawdown),
      }),
      position_limits: limits,
      margin_used: round(marginUsedPct, 4),
      margin_available: round(Math.max(0, 100 - marginUsedPct), 4),
      timestamp: new Date(p.now).toISOString(),
    }
  }
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 }
const rank = (s: Severity): number => SEVERITY_RANK[s]

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

export { WARNING_USAGE }
