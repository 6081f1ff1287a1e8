import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Persisted runtime settings (dotted config keys) and server secrets generated at first start. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
})
