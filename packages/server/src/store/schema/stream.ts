import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * The WebSocket hub's replay buffer: the latest account events (trade, position and risk updates)
 * of each user, numbered 1, 2, 3… per user (a user's tokens see one stream, whichever of the user's
 * accounts an event is about), so a client that reconnects — even to a restarted server — gets what
 * it missed. Bounded by count and age (see ws/journal.ts).
 */
export const streamEvents = sqliteTable(
  'stream_events',
  {
    userId: text('user_id').notNull(),
    seq: integer('seq').notNull(),
    accountId: text('account_id'),
    kind: text('kind').notNull(),
    symbol: text('symbol'),
    /** The wire `data` object as JSON text, exactly as first sent. */
    data: text('data').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.seq] }), index('stream_events_at').on(t.at)],
)
