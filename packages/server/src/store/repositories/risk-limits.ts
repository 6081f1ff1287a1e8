import { eq } from 'drizzle-orm'
import type { Db } from '../database'
import { riskLimits, type ProtectionsConfig } from '../schema'

export type { ProtectionsConfig }

/** An account's own limits; null: the server's default applies. Sizes in base units, losses in quote. */
export interface RiskLimitsRow {
  accountId: string
  maxPositionSize: number | null
  maxDailyLoss: number | null
  maxDrawdown: number | null
  stopLossPercent: number | null
  /** Largest position per symbol (base units). */
  positionLimits: Record<string, number>
  /** Null: every protection off. */
  protections: ProtectionsConfig | null
  updatedAt: number
}

/** Per-account risk limits. */
export interface RiskLimitsRepository {
  /** The account's stored limits, if it has any. */
  find(accountId: string): RiskLimitsRow | undefined
  /** Insert the account's limits or replace the stored ones. */
  upsert(row: RiskLimitsRow): void
}

export class SqliteRiskLimitsRepository implements RiskLimitsRepository {
  constructor(private readonly db: Db) {}

  find(accountId: string): RiskLimitsRow | undefined {
    return this.db.select().from(riskLimits).where(eq(riskLimits.accountId, accountId)).get()
  }

  upsert(row: RiskLimitsRow): void {
    this.db.insert(riskLimits).values(row).onConflictDoUpdate({ target: riskLimits.accountId, set: row }).run()
  }
}
