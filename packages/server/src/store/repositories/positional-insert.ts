import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from '../database'

/** A prepared INSERT of every column but the autoincrement key, bound positionally from a row object. */
export interface PositionalInsert {
  run(row: object): { lastInsertRowid: number | bigint }
}

/** On the order path: no drizzle query building or placeholder mapping per run. */
export function positionalInsert(db: Db, table: SQLiteTable): PositionalInsert {
  const columns = Object.entries(table as unknown as Record<string, unknown>).filter(
    (e): e is [string, { name: string; columnType: string }] =>
      !!e[1] && typeof e[1] === 'object' && 'columnType' in (e[1] as object) && e[0] !== 'seq',
  )
  const stmt = db.$client.prepare(
    `INSERT INTO ${getTableConfig(table).name} (${columns.map(([, c]) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  )
  const keys = columns.map(([k]) => k)
  const n = keys.length
  return {
    run(row) {
      const r = row as Record<string, unknown>
      const values = new Array<unknown>(n)
      for (let i = 0; i < n; i++) {
        const v = r[keys[i]!]
        // Booleans as SQLite integers (the column mode drizzle would apply).
        values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v
      }
      return stmt.run(values)
    },
  }
}
