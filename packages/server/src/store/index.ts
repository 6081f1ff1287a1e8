export { closeDatabase, openDatabase, transaction, type Db } from './database'
export * as tables from './schema'
export { unitOfWork, type UnitOfWork } from './unit-of-work'
export * from './repositories'
