// Repositories: the only code that knows SQL. Domain services depend on the interfaces, which carry
// no better-sqlite3 or drizzle types, so another store (Postgres) can implement them later.
export {}
export { SqliteApiKeyRepository, type ApiKeyRepository, type ApiKeyRow, type RefreshTokenRow } from './api-keys'
export { SqliteHealthRepository, type HealthRepository } from './health'
export { SqliteActivityRepository, type ActivityRepository, type FillAggregateRow } from './activity'
export { SqliteSettingsRepository, type SettingRow, type SettingsRepository } from './settings'
export {
  SqliteStreamEventRepository,
  type StreamEventRepository,
  type StreamEventRow,
  type StreamEventTrim,
} from './stream-events'
export type {
  AccountRow,
  ClosedPositionFilter,
  FillRow,
  OrderFilter,
  OrderRow,
  Page,
  PositionFilter,
  PositionRow,
  TradeFilter,
} from './execution-rows'
export { SqliteAccountRepository, type AccountRepository } from './accounts'
export { SqliteFillRepository, type FillRepository } from './fills'
export { SqliteOrderRepository, type OrderRepository } from './orders'
export { SqlitePositionRepository, type PositionRepository } from './positions'
export { sqliteExecutionRepositories, type ExecutionRepositories } from './execution'
export { memoryExecutionRepositories, type MemoryExecutionRepositories } from './memory-execution'
export {
  SqliteRiskEventRepository,
  type NewRiskEvent,
  type RiskEventFilter,
  type RiskEventRepository,
  type RiskEventRow,
  type RiskSeverity,
} from './risk-events'
export { SqliteRiskLimitsRepository, type ProtectionsConfig, type RiskLimitsRepository, type RiskLimitsRow } from './risk-limits'
export { SqliteRiskLockRepository, type RiskLockFilter, type RiskLockRepository, type RiskLockRow } from './risk-locks'
export {
  SqliteTradingControlRepository,
  type AccountOwner,
  type TradingControlRepository,
  type TradingControlRow,
} from './trading-controls'
export { SqlitePresetRepository, type PresetRepository, type PresetRow } from './presets'
export { SqliteRunnerRepository, type RunnerRepository, type StrategyAccountRow, type StrategyDecisionRow, type DecisionAction, type DecisionFilter } from './runner'
export { SqliteExecutionRepository, type BacktestTaskRow, type ExecutionRepository, type ExecutionRow, type ExecutionStatus, type TaskType } from './executions'
export { SqliteEngineRepository, type EngineRepository, type EngineRow, type EngineTransitionRow, type EngineTransitionQuery } from './engine'
