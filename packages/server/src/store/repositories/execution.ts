import type { Db } from '../database'
import { SqliteAccountRepository, type AccountRepository } from './accounts'
import { SqliteFillRepository, type FillRepository } from './fills'
import { SqliteOrderRepository, type OrderRepository } from './orders'
import { SqlitePositionRepository, type PositionRepository } from './positions'

/** Everything the paper exchange stores. */
export interface ExecutionRepositories {
  orders: OrderRepository
  fills: FillRepository
  positions: PositionRepository
  accounts: AccountRepository
}

export function sqliteExecutionRepositories(db: Db): ExecutionRepositories {
  return {
    orders: new SqliteOrderRepository(db),
    fills: new SqliteFillRepository(db),
    positions: new SqlitePositionRepository(db),
    accounts: new SqliteAccountRepository(db),
  }
}
