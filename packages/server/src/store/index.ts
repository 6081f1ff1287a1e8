export { openDatabase, transaction, type Db } from './database'
export * as tables from './schema'
export * from './repositories'
