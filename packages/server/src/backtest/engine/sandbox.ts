import { EventBus, idFactory, ManualClock } from '../../core'
import { ExecutionService, listRoundTrips, type Fill, type RoundTrip } from '../../execution'
import { INTERVAL_MINUTES, SeriesMarket, type Instrument, type Interval, type MarketData } from '../../market'
import { MINUTE_MS } from '../../market/intervals'
import { RiskService } from '../../risk'
import { SettingsService } from '../../settings'
import { closeDatabase, memoryExecutionRepositories, openDatabase, SqliteSettingsRepository, type Db, type ExecutionRepositories, type MemoryExecutionRepositories } from '../../store'
import type { BacktestSpec } from '../types'
import { CandleReplay } from './replay'
import { withSlippage } from './slippage'

/** The one trader of a sandbox. */
export const SANDBOX_USER = 'backtest'

/**
 * One run's private paper exchange: paper trading's own services (execution, risk, ledger, event
 * bus) on their own in-memory database, over their own market (a SeriesMarket the run replays) and
 * manual clock. Nothing in it is shared with the live server: its orders, fills and events never
 * reach the live accounts, book, metrics or WebSocket channels.
 */
export interface Sandbox {
  services: SandboxServices
  clock: ManualClock
  series: SeriesMarket
  /** The market the services see (the series, behind the slippage model). */
  market: MarketData
  replay: CandleReplay
  instrument: Instrument
  userId: string
  /** Fills of an account after `afterSeq` (the ledger's own rows), oldest first. */
  fillsAfter(accountId: string, afterSeq: number): Fill[]
  /**
   * Forget the account's equity marks older than the last one at or before `cutoff` (the start of
   * the current UTC day). The paper engine reads every mark of the account once a day to find the
   * day's starting equity (the last mark at or before 00:00 UTC) — the same answer after this — and a
   * backtest's fills each carry a mark: without it that read grows with the run.
   */
  pruneMarks(accountId: string, cutoff: number): void
  /** The round trip of a closed position, by the execution module's `listRoundTrips` (read by id). */
  roundTrip(positionId: string): RoundTrip | undefined
  close(): Promise<void>
}

export interface SandboxOptions {
  spec: Pick<BacktestSpec, 'symbol' | 'interval' | 'initial_balance' | 'taker_fee_bps' | 'maker_fee_bps' | 'slippage_bps'>
  instrument: Instrument
  /** Seeds the synthesised order books (same data and seed, same books). */
  bookSeed: string
  /** The clock's start (ms): the first candle's open time. */
  epoch: number
}

/** Candles a sandbox's market keeps (between this and twice as many). */
export const SANDBOX_HISTORY_ROWS = 1440

/** Limits out of reach (risk checks are off in a sandbox). */
const NO_LIMIT = 1e15

export const intervalMs = (interval: Interval): number => INTERVAL_MINUTES[interval] * MINUTE_MS

/** The paper exchange of a sandbox: what the server's createServices wires for trading, nothing else. */
export interface SandboxServices {
  db: Db
  /** The paper exchange's orders, fills, positions and account, in memory. */
  repos: MemoryExecutionRepositories
  clock: ManualClock
  market: MarketData
  events: EventBus
  settings: SettingsService
  risk: RiskService
  execution: ExecutionService
}

/**
 * The trading part of the server's `createServices` (services.ts), on an in-memory store: settings,
 * the event bus, the risk service and the execution service, with paper trading's classes and the
 * same wiring (pauses expire on market ticks). The paper exchange's own rows (orders, fills,
 * positions, the account) live in in-memory repositories with the SQLite ones' interfaces, so an
 * order or a fill costs no query building and no SQL; settings and risk stay on an in-memory SQLite; no auth, WebSocket hub, metrics, scanner or model.
 * Built here rather than through createServices, which owns the backtest service (an import cycle)
 * and would give each run a hub, a model and an executions store of its own. Ids are fixed
 * (`bt` session), so a re-run books the same ids.
 */
function sandboxServices(clock: ManualClock, market: MarketData, spec: SandboxOptions['spec']): SandboxServices {
  const db = openDatabase(':memory:')
  const symbols = market.symbols()
  const settings = new SettingsService(
    new SqliteSettingsRepository(db),
    clock,
    {
      // The strategy's own sizing is the risk control of a backtest: the paper limits meant for a
      // live account (position size, daily loss, drawdown) would stop it midway, so they are off
      // (and set out of reach, so no limit warnings are logged either). The balance check stays.
      'trading.max_position_size': NO_LIMIT,
      'trading.max_daily_loss': NO_LIMIT,
      'trading.risk_enabled': false,
      'notifications.slack_enabled': false,
      'notifications.email_enabled': false,
      'rate_limits.requests_per_minute': 1,
      'rate_limits.burst_per_second': 1,
      'rate_limits.health.limit': 1,
      'rate_limits.health.window_seconds': 10,
      'rate_limits.metrics.limit': 1,
      'rate_limits.metrics.window_seconds': 60,
      'rate_limits.admin.limit': 1,
      'rate_limits.admin.window_seconds': 60,
      'rate_limits.ml.limit': 1,
      'rate_limits.ml.window_seconds': 60,
      'exchanges.simulated.symbols': symbols,
      'scheduler.interval_minutes': 5,
    },
    symbols,
  )
  const events = new EventBus((err) => {
    throw err
  })
  const ids = idFactory('bt')
  const repos = memoryExecutionRepositories()
  // No usage warnings: a sandbox's risk events are never read (the balance check still denies).
  // Protections read the account's history where the exchange keeps it.
  const risk = new RiskService(db, clock, market, settings, events, ids, { logUsage: false, history: repos })
  const execution = new ExecutionService({
    db,
    clock,
    market,
    events,
    settings,
    risk,
    initialBalance: spec.initial_balance,
    takerFeeBps: spec.taker_fee_bps,
    makerFeeBps: spec.maker_fee_bps,
    ids,
    repos,
    // No equity marks: they fed only the daily-loss and drawdown limits that are off here, and cost
    // a transaction per candle while a position is open.
    markIntervalMs: Number.POSITIVE_INFINITY,
  })
  market.onTick(() => risk.expirePauses())
  risk.updateLimits(execution.accountIdOf(SANDBOX_USER), { max_drawdown: NO_LIMIT })
  return { db, repos, clock, market, events, settings, risk, execution }
}

export function openSandbox(o: SandboxOptions): Sandbox {
  const { spec, instrument } = o
  if (instrument.symbol !== spec.symbol) throw new RangeError(`instrument ${instrument.symbol} is not ${spec.symbol}`)
  const clock = new ManualClock(o.epoch)
  const stepMs = intervalMs(spec.interval)
  // Tickers over the forming candle only (see SeriesMarket's tickerRows): nothing here reads 24 h figures.
  const series = new SeriesMarket(
    [instrument],
    stepMs / MINUTE_MS,
    o.bookSeed,
    (error) => {
      throw error
    },
    1,
  )
  series.time = o.epoch
  // Nothing in the sandbox reads past candles (the strategy reads the run's own columns; tickers
  // cover the forming candle): a day of them is plenty.
  series.keepHistory(SANDBOX_HISTORY_ROWS)
  const market = withSlippage(
    series.marketData({
      advance() {},
      start() {},
      stop() {},
      lastUpdate: () => series.time,
      status: () => ({ state: 'live', reason: null }),
    }),
    instrument,
    spec.slippage_bps,
  )
  const services = sandboxServices(clock, market, spec)
  const { repos } = services
  let closed = false
  return {
    services,
    clock,
    series,
    market,
    replay: new CandleReplay(series, clock, spec.symbol, stepMs),
    instrument,
    userId: SANDBOX_USER,
    fillsAfter: (account, after) => repos.fillsAfter(account, after),
    roundTrip(positionId) {
      const row = repos.positions.byId(positionId)
      if (!row || row.status !== 'closed') return undefined
      // listRoundTrips reads closed positions through `repos.positions.closed` only: give it this one.
      const one = { positions: { closed: () => [row] } } as unknown as ExecutionRepositories
      return listRoundTrips(one, market, row.accountId)[0]
    },
    pruneMarks: (accountId, cutoff) => repos.pruneMarks(accountId, cutoff),
    async close() {
      if (closed) return
      closed = true
      services.execution.close()
      closeDatabase(services.db)
    },
  }
}
