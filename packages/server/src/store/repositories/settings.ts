import { like } from 'drizzle-orm'
import { transaction, type Db } from '../database'
import { settings } from '../schema'

/** One stored setting: a key and its JSON value. */
export interface SettingRow {
  key: string
  value: unknown
}

/** Persisted settings and server secrets, by key. Keys are matched with SQL LIKE (as they always were). */
export interface SettingsRepository {
  /** Every setting whose key starts with `prefix`. */
  listByPrefix(prefix: string): SettingRow[]
  /** The setting stored under `key`, if any. */
  find(key: string): SettingRow | undefined
  /** Insert or overwrite each entry, all in one transaction. */
  upsertAll(entries: readonly (readonly [key: string, value: unknown])[], at: number): void
  /** Insert the setting unless one is already stored under `key`. */
  insertIfAbsent(key: string, value: unknown, at: number): void
}

export class SqliteSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  listByPrefix(prefix: string): SettingRow[] {
    return this.db.select().from(settings).where(like(settings.key, `${prefix}%`)).all()
  }

  find(key: string): SettingRow | undefined {
    return this.db.select().from(settings).where(like(settings.key, key)).get()
  }

  upsertAll(entries: readonly (readonly [key: string, value: unknown])[], at: number): void {
    transaction(this.db, (tx) => {
      for (const [key, value] of entries)
        tx.insert(settings)
          .values({ key, value, updatedAt: at })
          .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } })
          .run()
    })
  }

  insertIfAbsent(key: string, value: unknown, at: number): void {
    this.db.insert(settings).values({ key, value, updatedAt: at }).onConflictDoNothing().run()
  }
}
