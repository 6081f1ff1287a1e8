import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { AccessTokens, AuthService, randomSecret, type Scope } from './auth'
import type { Env } from './config'
import { EventBus, systemClock, type Clock } from './core'
import { ExecutionService } from './execution'
import { RiskService } from './risk'
import { createSimulatedMarket, type MarketData } from './market'
import { createLogger, LogBuffer, Metrics, SystemProbe, type Logger } from './observability'
import { SettingsService } from './settings'
import { openDatabase, SqliteActivityRepository, SqliteApiKeyRepository, type ActivityRepository, SqliteExecutionRepository, SqlitePresetRepository, SqliteSettingsRepository, SqliteStreamEventRepository, type Db } from './store'
import { StreamHub, hubOptionsFromEnv, registerHubMetrics } from './ws'
import { BacktestService, inThisThread, sharedBacktestWorker } from './backtest'
import { EngineService } from './engine'
import { ExecutionStore } from './executions'
import { PredictionService, type PredictionView } from './ml'
import { createRunner, type Runner } from './runner'
import { PresetService, ScanStore } from './scanner'
import { DISABLED_NOTIFIER, WebhookNotifier, type Notifier } from './notifications'

export const SERVER_VERSION = '1.0.0'

/** Everything the API layer talks to. Built once per server (or per test). */
export interface AppServices {
  env: Env
  /** Signed webhook notifications of the administrator's trading controls (NOTIFY_WEBHOOK_URL). */
  notifier: Notifier
  clock: Clock
  db: Db
  logger: Logger
  metrics: Metrics
  auth: AuthService
  settings: SettingsService
  market: MarketData
  /** Domain events (trades, positions, risk), published after commit. */
  events: EventBus
  /** The paper exchange: accounts, orders, fills, positions, ledger. */
  execution: ExecutionService
  /** Pre-trade checks, limits, risk metrics and events. */
  risk: RiskService
  /** The /v1/ws hub: subscriptions, fan-out and the replay buffer; attached to each HTTP listener. */
  stream: StreamHub
  /** Scanner presets: built-ins and each user's copy-on-write changes (SQLite). */
  presets: PresetService
  /** Each user's latest scan (in memory: a restart forgets it). */
  scans: ScanStore
  /** The direction model (trained by main after start, or by tests; MODEL_UNAVAILABLE until then). */
  ml: PredictionService
  /** Runs (backtests, later live strategy runs): seed 004's executions store. */
  executions: ExecutionStore
  backtests: BacktestService
  /** Strategy accounts, their scheduled trading cycles, decisions and leaderboard (seed 001). */
  runner: Runner
  /** The trading engine (seed 003): one per user, on a scanner preset, in its own paper account. */
  engine: EngineService
  /** The recent log records GET /v1/logs serves. */
  logs: LogBuffer
  /** Order and fill aggregates over time windows (health and metrics). */
  activity: ActivityRepository
  /** Host and process measurements (CPU, memory, the data folder's disk, event-loop delay). */
  system: SystemProbe
  startedAt: number
  version: string
}

export interface ServiceOverrides {
  clock?: Clock
  logger?: Logger
  market?: MarketData
}

/** Open the store, build the market and the domain services from validated config. */
export function createServices(env: Env, overrides: ServiceOverrides = {}): AppServices {
  const clock = overrides.clock ?? systemClock
  const logs = new LogBuffer(env.LOG_BUFFER_SIZE)
  const logger = overrides.logger ?? createLogger(env.LOG_LEVEL, { buffer: logs, level: env.LOG_BUFFER_LEVEL })
  // No inline WAL follow-up while backtests persist their records (see StoreOptions.followUp).
  let backtestsActive = (): number => 0
  const db = openDatabase(env.DATABASE_URL, { followUp: () => backtestsActive() === 0 })
  const market =
    overrides.market ?? createSimulatedMarket({ clock, seed: env.MARKET_SEED, historyDays: env.MARKET_HISTORY_DAYS })
  const symbols = market.symbols()
  const settings = new SettingsService(
    new SqliteSettingsRepository(db),
    clock,
    {
      'trading.max_position_size': 1000,
      'trading.max_daily_loss': 500,
      'trading.risk_enabled': true,
      'notifications.slack_enabled': false,
      'notifications.email_enabled': false,
      'rate_limits.requests_per_minute': env.RATE_LIMIT_PER_MINUTE,
      'rate_limits.burst_per_second': env.RATE_LIMIT_BURST_PER_SECOND,
      'rate_limits.health.limit': env.RATE_LIMIT_HEALTH_PER_10S,
      'rate_limits.health.window_seconds': 10,
      'rate_limits.metrics.limit': env.RATE_LIMIT_METRICS_PER_MINUTE,
      'rate_limits.metrics.window_seconds': 60,
      'rate_limits.admin.limit': env.RATE_LIMIT_ADMIN_PER_MINUTE,
      'rate_limits.admin.window_seconds': 60,
      'rate_limits.ml.limit': env.RATE_LIMIT_ML_PER_MINUTE,
      'rate_limits.ml.window_seconds': 60,
      'exchanges.simulated.symbols': symbols,
      'scheduler.interval_minutes': env.SCHEDULER_INTERVAL_MINUTES,
    },
    symbols,
  )
  const jwtSecret = env.JWT_SECRET ?? settings.secret('jwt', () => randomSecret('', 48))
  const auth = new AuthService(new SqliteApiKeyRepository(db), new AccessTokens(jwtSecret), clock)
  const events = new EventBus((err, event) => logger.error({ err, kind: event.kind }, 'event listener failed'))
  const risk = new RiskService(db, clock, market, settings, events, undefined, { staleMs: env.MARKET_STALE_MS })
  const execution = new ExecutionService({
    db,
    clock,
    market,
    events,
    settings,
    risk,
    initialBalance: env.PAPER_INITIAL_BALANCE,
    takerFeeBps: env.PAPER_TAKER_FEE_BPS,
    makerFeeBps: env.PAPER_MAKER_FEE_BPS,
  })
  const metrics = new Metrics(clock)
  const stream = new StreamHub({
    auth,
    market,
    events,
    clock,
    journalStore: new SqliteStreamEventRepository(db),
    isSymbol: (symbol) => market.instrument(symbol) !== undefined && settings.isSymbolEnabled(symbol),
    logger,
    options: hubOptionsFromEnv(env),
    epoch: settings.secret('stream_epoch', () => randomBytes(6).toString('hex')),
    version: SERVER_VERSION,
  })
  registerHubMetrics(metrics.registry, stream)
  // smc_trades_total counts orders that reached `filled`, from the same events the socket streams.
  events.subscribe((e) => {
    if (e.kind === 'trade_update' && e.data.status === 'filled') metrics.trades.inc()
  })
  metrics.trackPnl(() => execution.totalRealizedPnl())
  // Every closed candle of the model's interval gets new predictions, streamed on predictions.{symbol}
  // (one frame per closed candle, its horizons together). Before the first training it does nothing.
  const ml = new PredictionService({ interval: env.ML_INTERVAL, seed: env.MARKET_SEED })
  market.onTick((t) => {
    if (!ml.trained) return
    const byCandle = new Map<string, PredictionView[]>()
    for (const p of ml.onClosedCandle(t.symbol)) byCandle.set(p.candle_time, [...(byCandle.get(p.candle_time) ?? []), p])
    for (const [candleTime, predictions] of byCandle)
      stream.broadcast(`predictions.${t.symbol}`, 'prediction_update', { symbol: t.symbol, interval: ml.interval, candle_time: candleTime, predictions })
  })
  // A run cut short by a restart is failed, never left `running`.
  const executions = new ExecutionStore(new SqliteExecutionRepository(db), { clock })
  executions.markInterruptedFailed()
  // executions.{id}: an execution_update (its status and latest checkpoint) on every checkpoint and
  // status change, for the readers the executions API admits.
  stream.executionAccess = (id, p) => void executions.access(id, { userId: p.userId, scopes: p.scopes })
  executions.subscribe((change) => stream.broadcast(`executions.${change.executionId}`, 'execution_update', executions.status(change.executionId)))
  const backtests = new BacktestService({
    store: executions,
    market,
    clock,
    defaults: { initial_balance: env.PAPER_INITIAL_BALANCE, taker_fee_bps: env.PAPER_TAKER_FEE_BPS, maker_fee_bps: env.PAPER_MAKER_FEE_BPS },
    onError: (err, executionId) => logger.error({ err, execution_id: executionId }, 'backtest failed'),
    runner: env.BACKTEST_WORKER ? sharedBacktestWorker() : inThisThread,
  })
  backtestsActive = () => backtests.active
  // Strategy accounts trade as separate paper accounts; their events reach the owner on the
  // journaled `strategies` channel (never `trades`/`positions`), cycles on `cycles`.
  const runner = createRunner({
    db,
    clock,
    market,
    settings,
    risk,
    execution,
    events,
    defaultInitialBalance: env.PAPER_INITIAL_BALANCE,
    takerFeeBps: env.PAPER_TAKER_FEE_BPS,
    executions,
    onExecutionError: (err, accountId) => logger.error({ err, account_id: accountId }, 'strategy account execution record failed'),
    intervalMinutes: () => settings.get()['scheduler.interval_minutes'],
    enabled: () => env.SCHEDULER_ENABLED,
    onEvent: (kind, data, ownerId) => {
      if (kind === 'strategy_event') {
        if (ownerId) events.publish({ kind: 'strategy_event', userId: ownerId, data, at: clock.now() })
      } else stream.broadcast('cycles', kind, data)
    },
  })
  market.onTick(() => void runner.scheduler.tick())
  // A preset in use by a running engine cannot change (409): the engine is built after the presets.
  let engine: EngineService | undefined
  const presets = new PresetService({ repository: new SqlitePresetRepository(db), clock, inUse: (u, n) => engine?.inUse(u, n) ?? false })
  engine = new EngineService({
    db,
    clock,
    market,
    execution,
    risk,
    presets,
    isSymbolEnabled: (symbol) => settings.isSymbolEnabled(symbol),
    initialBalance: env.PAPER_INITIAL_BALANCE,
    takerFeeBps: env.PAPER_TAKER_FEE_BPS,
    executions,
    onExecutionError: (err, owner) => logger.error({ err, owner }, 'engine execution record failed'),
    // engine_update, signal, scan_result: the owner's, journaled on the `engine` channel.
    onEvent: (kind, data, owner) => events.publish({ kind, userId: owner, data, at: clock.now() }),
  })
  market.onTick(() => void engine!.tick())
  // Timed pauses lift on their own; the tick records them as resumed (and resolves their events).
  market.onTick(() => risk.expirePauses())
  const notifier: Notifier =
    env.NOTIFY_WEBHOOK_URL && env.NOTIFY_WEBHOOK_SECRET
      ? new WebhookNotifier({
          url: env.NOTIFY_WEBHOOK_URL,
          secret: env.NOTIFY_WEBHOOK_SECRET,
          logger: logger.child({ component: 'webhook' }),
          maxAttempts: env.NOTIFY_WEBHOOK_MAX_ATTEMPTS,
          queueSize: env.NOTIFY_WEBHOOK_QUEUE_SIZE,
          backoffMs: env.NOTIFY_WEBHOOK_BACKOFF_MS,
          timeoutMs: env.NOTIFY_WEBHOOK_TIMEOUT_MS,
        })
      : DISABLED_NOTIFIER
  return {
    env,
    notifier,
    clock,
    db,
    logger,
    metrics,
    auth,
    settings,
    market,
    events,
    execution,
    stream,
    risk,
    presets,
    scans: new ScanStore(),
    ml,
    executions,
    backtests,
    runner,
    engine,
    logs,
    activity: new SqliteActivityRepository(db),
    system: new SystemProbe(env.DATABASE_URL === ':memory:' ? process.cwd() : dirname(resolve(env.DATABASE_URL))),
    startedAt: clock.now(),
    version: SERVER_VERSION,
  }
}

export const DEMO_USER = 'demo'
export const DEMO_SCOPES: Scope[] = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics']
export const ADMIN_USER = 'admin'

export interface BootstrapCredentials {
  demoApiKey: string
  adminApiKey: string
  adminToken: string
}

/** Make sure the demo and admin API keys exist; issue an admin token to print at start. */
export async function bootstrapCredentials(s: AppServices): Promise<BootstrapCredentials> {
  const demoApiKey = s.env.SMC_DEMO_API_KEY ?? s.settings.secret('demo_api_key', () => randomSecret('smc_demo_'))
  const adminApiKey = s.env.SMC_ADMIN_API_KEY ?? s.settings.secret('admin_api_key', () => randomSecret('smc_admin_'))
  s.auth.ensureApiKey(demoApiKey, DEMO_USER, DEMO_SCOPES, 'demo')
  s.auth.ensureApiKey(adminApiKey, ADMIN_USER, ['admin_full'], 'admin')
  const admin = await s.auth.generate({ userId: ADMIN_USER, scopes: ['admin_full'] }, ADMIN_USER, ['admin_full'], 24 * 3600)
  return { demoApiKey, adminApiKey, adminToken: admin.token }
}
