import { idFactory, type Clock, type EventBus, type IdFactory } from '../core'
import type { ExecutionService } from '../execution'
import type { ExecutionStore } from '../executions/store'
import type { MarketData } from '../market'
import type { RiskService } from '../risk'
import type { SettingsService } from '../settings'
import { SqliteRunnerRepository, type Db } from '../store'
import { StrategyAccountService } from './accounts'
import { builtinCatalog } from './catalog'
import { Scheduler } from './scheduler'
import { StrategyRunner } from './strategy-runner'
import { StrategyExecutions } from './trading-executions'
import type { RunnerEventSink, StrategyCatalog } from './types'
import { strategyAccountIdOf } from './user-ids'

export interface RunnerOptions {
  db: Db
  clock: Clock
  market: MarketData
  settings: SettingsService
  risk: RiskService
  execution: ExecutionService
  /** Strategies accounts may run; default the registry's built-ins. */
  strategies?: StrategyCatalog
  /** Balance of a strategy account created without one (the paper trading initial balance). */
  defaultInitialBalance: number
  /** `scheduler.interval_minutes`, read at every tick. */
  intervalMinutes: () => number
  /** env SCHEDULER_ENABLED; default true. */
  enabled?: () => boolean
  /**
   * Where events go: `cycle_start`/`cycle_complete` (owner null) for the `cycles` channel,
   * `strategy_event` (the account's owner) for that user's `strategies` channel.
   */
  onEvent?: RunnerEventSink
  /**
   * The domain event bus: the execution events of strategy accounts (trade_update, position_update,
   * risk events — published for their synthetic users `sa:<id>`, which no token carries) are
   * forwarded to `onEvent` as `strategy_event` for the owner.
   */
  events?: EventBus
  maxAccountsPerUser?: number
  ids?: IdFactory
  elapsed?: () => number
  warmupCandles?: number
  /** The paper exchange's taker fee (env PAPER_TAKER_FEE_BPS), for sizing entries within the free balance. */
  takerFeeBps?: number
  /**
   * The executions store (seed 004): each strategy account's run becomes a `trading` execution
   * (events, trades, equity, checkpoints), stopped when the account is deactivated or deleted.
   */
  executions?: ExecutionStore
  /** Cycles between two metrics checkpoints of a live execution (default 10). */
  checkpointEvery?: number
  /** Told when recording into an execution fails (the cycle goes on). */
  onExecutionError?: (err: unknown, accountId: string) => void
}

export interface Runner {
  accounts: StrategyAccountService
  runner: StrategyRunner
  scheduler: Scheduler
  /** The accounts' live executions (when `executions` was given). */
  live: StrategyExecutions | null
  /** Stop forwarding execution events. */
  close(): void
}

/**
 * The runner's services wired together: strategy accounts, the per-account strategy runner (whose
 * instances are dropped when an account's setup changes) and the scheduler running it.
 */
export function createRunner(o: RunnerOptions): Runner {
  const ids = o.ids ?? idFactory()
  const repo = new SqliteRunnerRepository(o.db)
  const emit: RunnerEventSink = o.onEvent ?? (() => {})
  const strategies = o.strategies ?? builtinCatalog
  const runner = new StrategyRunner({
    db: o.db,
    clock: o.clock,
    market: o.market,
    settings: o.settings,
    execution: o.execution,
    strategies,
    repo,
    ids,
    onEvent: emit,
    warmupCandles: o.warmupCandles,
    takerFeeBps: o.takerFeeBps,
  })
  const live = o.executions
    ? new StrategyExecutions({
        store: o.executions,
        execution: o.execution,
        market: o.market,
        clock: o.clock,
        checkpointEvery: o.checkpointEvery,
        onError: o.onExecutionError,
      })
    : null
  const accounts = new StrategyAccountService({
    db: o.db,
    clock: o.clock,
    market: o.market,
    settings: o.settings,
    risk: o.risk,
    execution: o.execution,
    strategies,
    defaultInitialBalance: o.defaultInitialBalance,
    maxAccountsPerUser: o.maxAccountsPerUser,
    repo,
    ids,
    onChanged: (id) => runner.forget(id),
    onActivated: live ? (row) => live.start(row) : undefined,
    onDeactivated: live ? (id, reason) => live.stop(id, reason) : undefined,
  })
  const scheduler = new Scheduler({
    clock: o.clock,
    intervalMinutes: o.intervalMinutes,
    enabled: o.enabled,
    onEvent: emit,
    ids,
    elapsed: o.elapsed,
    work: {
      activeAccounts: () => runner.activeAccounts(),
      current: (listed) => runner.current(listed),
      runAccount: (row, cycleId) => {
        const out = runner.runAccount(row, cycleId)
        live?.afterRun(row, out)
        return out
      },
    },
  })
  // Owners of strategy accounts, remembered (an account's last events follow its deletion).
  const owners = new Map<string, string>()
  const unsubscribe = o.events?.subscribe((e) => {
    const id = strategyAccountIdOf(e.userId)
    if (id === undefined) return
    live?.markDirty(id)
    let owner = owners.get(id)
    if (owner === undefined) {
      owner = repo.account(id)?.ownerId
      if (owner === undefined) return
      owners.set(id, owner)
    }
    emit('strategy_event', { type: e.kind, account_id: id, symbol: e.symbol ?? null, data: e.data }, owner)
  })
  return { accounts, runner, scheduler, live, close: () => unsubscribe?.() }
}
