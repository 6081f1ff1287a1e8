import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * Per-user scanner presets: a user's own presets and their copies of built-in ones (copy-on-write:
 * the built-ins live in code, a row under a built-in's name is that user's override). `config` is
 * the validated preset without its name (scanner, levels, risk, description, strategy_type).
 */
export const presets = sqliteTable(
  'presets',
  {
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    config: text('config', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.name] })],
)
