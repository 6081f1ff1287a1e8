// The strategy runner (seed 001): strategy accounts on paper, scheduled trading cycles, decisions and
// the leaderboard. The API layer wires routes and WS channels onto these services.
export {
  StrategyAccountService,
  MAX_STRATEGY_ACCOUNTS_PER_USER,
  MAX_STRATEGY_SYMBOLS,
  MIN_INITIAL_BALANCE,
  MAX_INITIAL_BALANCE,
  DEFAULT_STRATEGY_INTERVAL,
  type StrategyAccountServiceOptions,
  type ListQuery,
} from './accounts'
export { StrategyRunner, WARMUP_CANDLES, ENTRY_BALANCE_USE, entryQuantity, type AccountOutcome, type StrategyRunnerOptions } from './strategy-runner'
export { Scheduler, DEFAULT_SCHEDULER_INTERVAL_MINUTES, CYCLE_HISTORY, type CycleWork, type SchedulerOptions } from './scheduler'
export { leaderboard } from './leaderboard'
export { catalogOf, builtinCatalog } from './catalog'
export { decisionView } from './decisions'
export { strategyUserId, strategyAccountIdOf } from './user-ids'
export { createRunner, type Runner, type RunnerOptions } from './runner'
export * from './types'
export { StrategyExecutions, type StrategyExecutionsOptions } from './trading-executions'
export { LiveRun, LIVE_CHECKPOINT_EVERY, type LiveRunDeps } from './live-run'
