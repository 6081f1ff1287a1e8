import { eq } from 'drizzle-orm'
import type { Db } from '../database'
import { accounts, tradingControls } from '../schema'

/** A stored trading control: `scope` is `global` or an account id. */
export interface TradingControlRow {
  scope: string
  paused: boolean
  reason: string | null
  /** When the pause in force began (null when active). */
  pausedAt: number | null
  /** When the pause lifts by itself (null: until resumed). */
  resumeAt: number | null
  updatedAt: number
}

/** An account and the user who owns it (whom a pause's events are published to). */
export interface AccountOwner {
  id: string
  userId: string
}

/** Trading pauses, global or per account, and the accounts a pause covers. */
export interface TradingControlRepository {
  /** Every stored control. */
  all(): TradingControlRow[]
  /** Insert the control or replace the one stored for its scope. */
  upsert(row: TradingControlRow): void
  /** One account's owner (`accountId` given; empty when unknown) or every account's. */
  accountOwners(accountId?: string): AccountOwner[]
}

export class SqliteTradingControlRepository implements TradingControlRepository {
  constructor(private readonly db: Db) {}

  all(): TradingControlRow[] {
    return this.db.select().from(tradingControls).all()
  }

  upsert(row: TradingControlRow): void {
    this.db.insert(tradingControls).values(row).onConflictDoUpdate({ target: tradingControls.scope, set: row }).run()
  }

  accountOwners(accountId?: string): AccountOwner[] {
    return this.db
      .select({ id: accounts.id, userId: accounts.userId })
      .from(accounts)
      .where(accountId === undefined ? undefined : eq(accounts.id, accountId))
      .all()
  }
}
