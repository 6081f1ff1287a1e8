import { and, asc, count, eq } from 'drizzle-orm'
import type { Db } from '../database'
import { presets } from '../schema'

/** One stored preset of a user: its own preset, or its copy of a built-in (same name). */
export interface PresetRow {
  userId: string
  name: string
  /** The validated preset without its name (plain JSON). */
  config: unknown
  createdAt: number
  updatedAt: number
}

/** Per-user presets; every state change is one statement. */
export interface PresetRepository {
  /** The user's stored presets, by name. */
  listByUser(userId: string): PresetRow[]
  /** The user's preset stored under `name`, if any. */
  find(userId: string, name: string): PresetRow | undefined
  /** How many presets the user has stored. */
  countByUser(userId: string): number
  /** Store the preset, or replace the stored config (keeping its `createdAt`). */
  upsert(row: PresetRow): void
  /** Store the preset unless the user already has one of that name; true when it was stored. */
  insertIfAbsent(row: PresetRow): boolean
  /** Delete the user's preset of that name; true when one was deleted. */
  delete(userId: string, name: string): boolean
}

export class SqlitePresetRepository implements PresetRepository {
  constructor(private readonly db: Db) {}

  listByUser(userId: string): PresetRow[] {
    return this.db.select().from(presets).where(eq(presets.userId, userId)).orderBy(asc(presets.name)).all()
  }

  find(userId: string, name: string): PresetRow | undefined {
    return this.db
      .select()
      .from(presets)
      .where(and(eq(presets.userId, userId), eq(presets.name, name)))
      .get()
  }

  countByUser(userId: string): number {
    return this.db.select({ n: count() }).from(presets).where(eq(presets.userId, userId)).get()?.n ?? 0
  }

  upsert(row: PresetRow): void {
    this.db
      .insert(presets)
      .values(row)
      .onConflictDoUpdate({ target: [presets.userId, presets.name], set: { config: row.config, updatedAt: row.updatedAt } })
      .run()
  }

  insertIfAbsent(row: PresetRow): boolean {
    return this.db.insert(presets).values(row).onConflictDoNothing().run().changes > 0
  }

  delete(userId: string, name: string): boolean {
    return this.db.delete(presets).where(and(eq(presets.userId, userId), eq(presets.name, name))).run().changes > 0
  }
}
