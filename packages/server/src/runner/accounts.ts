import { DomainError, fromAtoms, idFactory, toAtoms, type Clock, type IdFactory } from '../core'
import { positionView, tradeView, type ExecutionService } from '../execution'
import { INTERVALS, type MarketData } from '../market'
import type { RiskService } from '../risk'
import type { SettingsService } from '../settings'
import {
  SqliteAccountRepository,
  SqliteRunnerRepository,
  unitOfWork,
  type AccountRepository,
  type Db,
  type RunnerRepository,
  type StrategyAccountRow,
  type UnitOfWork,
} from '../store'
import { decisionView } from './decisions'
import { leaderboard } from './leaderboard'
import {
  RUNNER_ERRORS,
  type CreateStrategyAccountInput,
  type DecisionView,
  type LeaderboardEntry,
  type PatchStrategyAccountInput,
  type StrategyAccountView,
  type StrategyCatalog,
} from './types'
import { strategyUserId } from './user-ids'

/** Strategy accounts one user may hold at once (deleted ones do not count). */
export const MAX_STRATEGY_ACCOUNTS_PER_USER = 10
/** Symbols one strategy account trades. */
export const MAX_STRATEGY_SYMBOLS = 6
export const MIN_INITIAL_BALANCE = 10
export const MAX_INITIAL_BALANCE = 100_000_000
export const MAX_NAME_LENGTH = 64
export const DEFAULT_STRATEGY_INTERVAL = '1h'


export interface StrategyAccountServiceOptions {
  db: Db
  clock: Clock
  market: MarketData
  settings: SettingsService
  risk: RiskService
  execution: ExecutionService
  strategies: StrategyCatalog
  /** Balance of a new account when none is asked (the paper trading initial balance). */
  defaultInitialBalance: number
  /** Per-user limit; default {@link MAX_STRATEGY_ACCOUNTS_PER_USER}. */
  maxAccountsPerUser?: number
  currency?: string
  repo?: RunnerRepository
  ids?: IdFactory
  /** Told when an account's trading setup changed or it went away (the runner drops its strategy instances). */
  onChanged?: (accountId: string) => void
  /** Told when an account starts trading: created, or re-activated (its live execution starts). */
  onActivated?: (row: StrategyAccountRow) => void
  /** Told when an account stops trading: deactivated or deleted (its live execution stops). */
  onDeactivated?: (accountId: string, reason: string) => void
}

const iso = (ms: number): string => new Date(ms).toISOString()

const invalid = (field: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field, ...details })

export interface ListQuery {
  symbol?: string
  limit?: number
  offset?: number
}

/**
 * Strategy accounts: each a separate paper account (own balance, positions, ledger, risk limits)
 * trading under the synthetic user `sa:<account_id>` through the same execution and risk modules as
 * the owner's own orders, so none of its orders, fills or positions is ever the owner's. Another
 * user's account reads as NOT_FOUND.
 */
export class StrategyAccountService {
  readonly repo: RunnerRepository
  readonly maxAccountsPerUser: number
  private readonly accounts: AccountRepository
  private readonly uow: UnitOfWork
  private readonly ids: IdFactory
  private readonly currency: string

  constructor(private readonly o: StrategyAccountServiceOptions) {
    this.repo = o.repo ?? new SqliteRunnerRepository(o.db)
    this.accounts = new SqliteAccountRepository(o.db)
    this.uow = unitOfWork(o.db)
    this.ids = o.ids ?? idFactory()
    this.currency = o.currency ?? 'USDT'
    this.maxAccountsPerUser = o.maxAccountsPerUser ?? MAX_STRATEGY_ACCOUNTS_PER_USER
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  create(ownerId: string, input: CreateStrategyAccountInput): StrategyAccountView {
    const name = this.validName(input.name)
    const strategy = this.knownStrategy(input.strategy)
    const params = this.validParams(strategy, input.params ?? {})
    const symbols = this.validSymbols(input.symbols)
    const interval = input.interval ?? DEFAULT_STRATEGY_INTERVAL
    if (!(INTERVALS as readonly string[]).includes(interval))
      throw invalid('interval', `interval must be one of ${INTERVALS.join(', ')}`, { allowed: INTERVALS })
    const initial = input.initial_balance ?? this.o.defaultInitialBalance
    if (typeof initial !== 'number' || !Number.isFinite(initial) || initial < MIN_INITIAL_BALANCE || initial > MAX_INITIAL_BALANCE)
      throw invalid('initial_balance', `initial_balance must be a number from ${MIN_INITIAL_BALANCE} to ${MAX_INITIAL_BALANCE}`, {
        min: MIN_INITIAL_BALANCE,
        max: MAX_INITIAL_BALANCE,
      })
    const held = this.repo.countOf(ownerId)
    if (held >= this.maxAccountsPerUser)
      throw new DomainError(RUNNER_ERRORS.STRATEGY_ACCOUNT_LIMIT, `A user may hold at most ${this.maxAccountsPerUser} strategy accounts`, {
        limit: this.maxAccountsPerUser,
        count: held,
      })

    const now = this.o.clock.now()
    const id = this.ids('sa')
    const userId = strategyUserId(id)
    const paperId = this.ids('acc')
    const balance = toAtoms(initial)
    const row: StrategyAccountRow = {
      id,
      ownerId,
      name,
      strategy,
      params,
      symbols,
      interval,
      initialBalance: initial,
      paperAccountId: paperId,
      active: true,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }
    // The paper account is opened here (not by the execution service's first use) so it starts
    // with this account's own balance; it is the same row, snapshot and risk hook the service writes.
    const paused = this.uow.run(() => {
      this.accounts.insert({
        id: paperId,
        userId,
        currency: this.currency,
        initialBalance: balance,
        balance,
        realizedPnl: 0,
        commission: 0,
        createdAt: now,
        updatedAt: now,
      })
      this.accounts.insertSnapshot(paperId, now, balance, balance)
      this.repo.insertAccount(row)
      return this.o.risk.accountOpened(paperId)
    })
    if (paused) this.o.risk.publish(paused, userId)
    this.o.onActivated?.(row)
    return this.view(row)
  }

  list(ownerId: string): StrategyAccountView[] {
    return this.repo.accountsOf(ownerId).map((r) => this.view(r))
  }

  /** Every live account (administrators). */
  listAll(): StrategyAccountView[] {
    return this.repo.allAccounts().map((r) => this.view(r))
  }

  get(ownerId: string, id: string): StrategyAccountView {
    return this.view(this.row(ownerId, id))
  }

  /** The stored account of an owner (`ownerId` null: any owner, for administrators), or NOT_FOUND. */
  row(ownerId: string | null, id: string): StrategyAccountRow {
    const r = this.repo.account(id)
    if (!r || (ownerId !== null && r.ownerId !== ownerId))
      throw new DomainError('NOT_FOUND', `Strategy account ${id} not found`, { account_id: id })
    return r
  }

  patch(ownerId: string, id: string, input: PatchStrategyAccountInput): StrategyAccountView {
    const r = this.row(ownerId, id)
    const next: StrategyAccountRow = { ...r }
    if (input.name !== undefined) next.name = this.validName(input.name)
    if (input.params !== undefined) {
      if (typeof input.params !== 'object' || input.params === null || Array.isArray(input.params))
        throw invalid('params', 'params must be an object')
      next.params = this.validParams(r.strategy, { ...r.params, ...input.params })
    }
    if (input.symbols !== undefined) next.symbols = this.validSymbols(input.symbols)
    if (input.active !== undefined) {
      if (typeof input.active !== 'boolean') throw invalid('active', 'active must be a boolean')
      next.active = input.active
    }
    next.updatedAt = this.o.clock.now()
    this.repo.updateAccount(next)
    if (input.params !== undefined || input.symbols !== undefined || input.active === false) this.o.onChanged?.(id)
    if (r.active && !next.active) this.o.onDeactivated?.(id, 'strategy account deactivated')
    else if (!r.active && next.active) this.o.onActivated?.(next)
    return this.view(next)
  }

  /**
   * Delete: cancel its open orders, close its positions with market orders, then mark it deleted
   * (its ledger and decisions stay). When a position cannot be closed (the market is not live) the
   * account stays and the denial is thrown.
   */
  delete(ownerId: string, id: string): StrategyAccountView {
    const r = this.row(ownerId, id)
    const ex = this.o.execution
    const userId = strategyUserId(id)
    ex.cancelOpenOrders(r.paperAccountId, 'strategy account deleted')
    const st = ex.state(userId)
    for (const pos of [...st.positions.values()]) {
      const v = positionView(pos, this.o.market, (s) => ex.mark(s))
      // The owner deleting the account closes by hand: MANUAL round trips.
      const res = ex.submit(userId, { symbol: pos.symbol, side: pos.side === 'long' ? 'sell' : 'buy', type: 'market', quantity: v.quantity, origin: 'manual' })
      if (!res.ok) throw res.denial
    }
    if (st.positions.size > 0)
      throw new DomainError('INTERNAL_ERROR', `Strategy account ${id} still has open positions; try again`, {
        account_id: id,
        open_positions: [...st.positions.keys()],
      })
    const now = this.o.clock.now()
    const done: StrategyAccountRow = { ...r, active: false, updatedAt: now, deletedAt: now }
    this.repo.updateAccount(done)
    this.o.onChanged?.(id)
    this.o.onDeactivated?.(id, 'strategy account deleted')
    return { ...this.view(done) }
  }

  // ---- reads --------------------------------------------------------------------------------

  /** Positions of one account: open ones by default (live state), closed ones with `status`. */
  positions(ownerId: string, id: string, q: { status?: 'open' | 'closed' } & ListQuery = {}) {
    const r = this.row(ownerId, id)
    return this.positionsOf(r, q)
  }

  /** Fills of one account, newest first, in pages. */
  trades(ownerId: string, id: string, q: { since?: number; until?: number; page?: number } & ListQuery = {}) {
    const r = this.row(ownerId, id)
    const limit = q.limit ?? 100
    const page = q.page ?? 1
    const { rows, total } = this.o.execution.queries.trades(r.paperAccountId, { symbol: q.symbol?.toUpperCase(), since: q.since, until: q.until, limit, page })
    return {
      trades: rows.map((f) => ({ account_id: r.id, ...tradeView(f, this.o.market) })),
      total_count: total,
      page,
      total_pages: Math.ceil(total / limit),
    }
  }

  /** Open positions (or closed ones with `status`) over every account of an owner. */
  allPositions(ownerId: string, q: { status?: 'open' | 'closed'; symbol?: string } = {}) {
    const positions = []
    for (const r of this.repo.accountsOf(ownerId)) positions.push(...this.positionsOf(r, { ...q, limit: 1000, offset: 0 }).positions)
    return { positions, total_count: positions.length }
  }

  /** The latest fills over every account of an owner, newest first (`total_count`: all their fills). */
  allTrades(ownerId: string, q: { symbol?: string; limit?: number } = {}) {
    const limit = q.limit ?? 100
    const trades: (ReturnType<typeof tradeView> & { account_id: string; account_name: string })[] = []
    let total = 0
    for (const r of this.repo.accountsOf(ownerId)) {
      const page = this.o.execution.queries.trades(r.paperAccountId, { symbol: q.symbol?.toUpperCase(), limit, page: 1 })
      total += page.total
      for (const f of page.rows) trades.push({ account_id: r.id, account_name: r.name, ...tradeView(f, this.o.market) })
    }
    trades.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : a.id < b.id ? 1 : -1))
    return { trades: trades.slice(0, limit), total_count: total }
  }

  /** Decisions of one account, newest first. */
  decisions(ownerId: string, id: string, q: ListQuery & { cycle_id?: string } = {}): { decisions: DecisionView[]; total_count: number } {
    const r = this.row(ownerId, id)
    const symbol = q.symbol?.toUpperCase()
    const rows = this.repo.decisions(r.id, { symbol, cycleId: q.cycle_id, limit: q.limit ?? 100, offset: q.offset ?? 0 })
    return { decisions: rows.map(decisionView), total_count: this.repo.countDecisions(r.id, { symbol, cycleId: q.cycle_id }) }
  }

  /** The leaderboard of an owner's accounts, or of every account (`ownerId` null: administrators). */
  leaderboard(ownerId: string | null): LeaderboardEntry[] {
    return leaderboard(this.o.execution, ownerId === null ? this.repo.allAccounts() : this.repo.accountsOf(ownerId))
  }

  /** The account view of a stored row (balance, equity and PnL from its paper account). */
  view(r: StrategyAccountRow): StrategyAccountView {
    const ex = this.o.execution
    const st = ex.state(strategyUserId(r.id))
    const p = ex.portfolio(st)
    const a = st.account
    return {
      account_id: r.id,
      owner_id: r.ownerId,
      name: r.name,
      strategy: r.strategy,
      params: r.params,
      symbols: r.symbols,
      interval: r.interval,
      active: r.active,
      paper_account_id: r.paperAccountId,
      currency: a.currency,
      initial_balance: fromAtoms(a.initialBalance),
      balance: fromAtoms(a.balance),
      equity: fromAtoms(p.equity),
      realized_pnl: fromAtoms(a.realizedPnl),
      unrealized_pnl: fromAtoms(p.equity - a.balance),
      commission_paid: fromAtoms(a.commission),
      open_positions: st.positions.size,
      created_at: iso(r.createdAt),
      updated_at: iso(r.updatedAt),
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private positionsOf(r: StrategyAccountRow, q: { status?: 'open' | 'closed' } & ListQuery) {
    const ex = this.o.execution
    const st = ex.state(strategyUserId(r.id))
    const mark = (s: string): number => ex.mark(s)
    const status = q.status ?? 'open'
    const { rows, total } = ex.queries.listPositions(r.paperAccountId, {
      symbol: q.symbol?.toUpperCase(),
      status,
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    })
    const exits = ex.exitPrices(r.paperAccountId)
    const now = this.o.clock.now()
    const positions = rows.map((p) => ({
      account_id: r.id,
      account_name: r.name,
      ...positionView(p.status === 'open' ? (st.positions.get(p.symbol) ?? p) : p, this.o.market, mark, { now, exits: exits.get(p.symbol) }),
    }))
    return { positions, total_count: total }
  }

  private validName(name: unknown): string {
    if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > MAX_NAME_LENGTH)
      throw invalid('name', `name must be 1 to ${MAX_NAME_LENGTH} characters`)
    return name.trim()
  }

  private knownStrategy(name: unknown): string {
    if (typeof name !== 'string' || !this.o.strategies.definition(name))
      throw new DomainError(RUNNER_ERRORS.STRATEGY_NOT_FOUND, `Unknown strategy "${String(name)}"`, {
        field: 'strategy',
        available: this.o.strategies.names(),
      })
    return name
  }

  /** Validated parameters; a VALIDATION_FAILED names the parameter as `params.<key>`. */
  private validParams(strategy: string, input: unknown): Record<string, unknown> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('params', 'params must be an object')
    try {
      return this.o.strategies.parse(strategy, input)
    } catch (err) {
      if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
        const field = typeof err.details.field === 'string' && err.details.field.length > 0 ? err.details.field : ''
        const named = field === '' ? 'params' : field.startsWith('params') ? field : `params.${field}`
        throw new DomainError('VALIDATION_FAILED', err.message, { ...err.details, field: named })
      }
      throw err
    }
  }

  private validSymbols(input: unknown): string[] {
    if (!Array.isArray(input) || input.length < 1 || input.length > MAX_STRATEGY_SYMBOLS)
      throw invalid('symbols', `symbols must list 1 to ${MAX_STRATEGY_SYMBOLS} symbols`)
    const out: string[] = []
    for (const [i, s] of input.entries()) {
      if (typeof s !== 'string') throw invalid(`symbols.${i}`, 'symbols must be strings')
      const symbol = s.toUpperCase()
      if (!this.o.market.instrument(symbol) || !this.o.settings.isSymbolEnabled(symbol))
        throw new DomainError('INVALID_SYMBOL', `Unknown trading symbol "${s}"`, {
          field: `symbols.${i}`,
          symbol: s,
          available: this.o.settings.get()['exchanges.simulated.symbols'],
        })
      if (out.includes(symbol)) throw invalid(`symbols.${i}`, `symbol ${symbol} is listed twice`)
      out.push(symbol)
    }
    return out
  }
}
