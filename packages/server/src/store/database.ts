import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { startCheckpointer } from './checkpointer'
import * as schema from './schema'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

export interface StoreOptions {
  /** How often the background worker checkpoints the WAL (ms). */
  checkpointIntervalMs?: number
  /** Log length (frames) from which the writer completes a checkpoint so the log restarts. */
  walRestartFrames?: number
  /**
   * Whether the writer may complete a checkpoint now (default: always). False while bulk writes go
   * on (a backtest persisting megabytes a second): what was written since the worker's pass is then
   * megabytes, a 20–70 ms stall to copy inline; the worker's passes copy it instead, and the log
   * restarts at the first follow-up after the bulk writes end.
   */
  followUp?: () => boolean
}

/**
 * Open the store and bring its schema up to date with the committed migrations.
 * `url` is a file path (WAL mode, parent folder created) or `:memory:` for tests.
 */
export function openDatabase(url: string, options: StoreOptions = {}): Db {
  const path = url.startsWith('file:') ? url.slice(5) : url
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL is durable under WAL against process crashes; FULL only adds power-loss safety.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle(sqlite, { schema }) as Db
  migrate(db, { migrationsFolder: MIGRATIONS })
  if (path !== ':memory:') {
    const { checkpointIntervalMs = 250, walRestartFrames = 4096 } = options
    // Checkpoints run on a worker thread; the writer's inline auto-checkpoint is only a far backstop
    // (should the worker fail), since it stalls the event loop for as long as it copies.
    sqlite.pragma(`wal_autocheckpoint = ${Math.max(50_000, walRestartFrames * 4)}`)
    const checkpointer = startCheckpointer(resolve(path), {
      intervalMs: checkpointIntervalMs,
      onCheckpoint(logFrames) {
        if (logFrames < walRestartFrames || !sqlite.open || options.followUp?.() === false) return
        try {
          // Right after the worker's pass only the last milliseconds of frames are left to copy.
          sqlite.pragma('wal_checkpoint(PASSIVE)')
        } catch {
          // Busy (the worker is already at the next pass): the next message tries again.
        }
      },
    })
    const close = sqlite.close.bind(sqlite)
    sqlite.close = () => {
      void checkpointer.stop()
      return close()
    }
  }
  return db
}

type Runner = <T>(fn: (tx: Db) => T) => T
/** One transaction function per connection (better-sqlite3 builds four wrappers per `transaction()` call). */
const runners = new WeakMap<Db, Runner>()

/** Run `fn` in one SQLite transaction: all of its writes commit together or none do. */
export function transaction<T>(db: Db, fn: (tx: Db) => T): T {
  let run = runners.get(db)
  if (!run) runners.set(db, (run = db.$client.transaction((f: (tx: Db) => unknown) => f(db)) as Runner))
  return run(fn)
}

/** Close the connection (and stop its checkpoint worker). */
export function closeDatabase(db: Db): void {
  db.$client.close()
}
