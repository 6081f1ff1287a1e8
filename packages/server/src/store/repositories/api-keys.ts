import { and, eq, isNull } from 'drizzle-orm'
import { transaction, type Db } from '../database'
import { apiKeys, refreshTokens } from '../schema'

/** A long-lived API key; only the SHA-256 hash of its secret is stored. */
export interface ApiKeyRow {
  id: string
  userId: string
  keyHash: string
  scopes: string[]
  label: string
  createdAt: number
}

/** A single-use refresh token; a family is every token rotated from one original grant. */
export interface RefreshTokenRow {
  id: string
  tokenHash: string
  familyId: string
  userId: string
  scopes: string[]
  /** Lifetime (seconds) of the access tokens it issues. */
  accessTtl: number
  expiresAt: number
  usedAt: number | null
  revokedAt: number | null
  createdAt: number
}

/** API keys and refresh tokens, looked up by the hash of their secret. */
export interface ApiKeyRepository {
  findApiKey(keyHash: string): ApiKeyRow | undefined
  insertApiKey(row: ApiKeyRow): void
  /** Point an existing key at a user and scopes. */
  updateApiKey(id: string, change: { userId: string; scopes: string[] }): void
  findRefreshToken(tokenHash: string): RefreshTokenRow | undefined
  insertRefreshToken(row: RefreshTokenRow): void
  /** Mark the token used at `at`; false when it already was (another request claimed it first). */
  claimRefreshToken(id: string, at: number): boolean
  /** Revoke every not yet revoked token of the family at `at`. */
  revokeRefreshFamily(familyId: string, at: number): void
}

export class SqliteApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Db) {}

  findApiKey(keyHash: string): ApiKeyRow | undefined {
    return this.db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get()
  }

  insertApiKey(row: ApiKeyRow): void {
    this.db.insert(apiKeys).values(row).run()
  }

  updateApiKey(id: string, change: { userId: string; scopes: string[] }): void {
    this.db.update(apiKeys).set(change).where(eq(apiKeys.id, id)).run()
  }

  findRefreshToken(tokenHash: string): RefreshTokenRow | undefined {
    return this.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).get()
  }

  insertRefreshToken(row: RefreshTokenRow): void {
    transaction(this.db, (tx) => tx.insert(refreshTokens).values(row).run())
  }

  claimRefreshToken(id: string, at: number): boolean {
    const claimed = this.db
      .update(refreshTokens)
      .set({ usedAt: at })
      .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt)))
      .run()
    return claimed.changes === 1
  }

  revokeRefreshFamily(familyId: string, at: number): void {
    this.db
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
      .run()
  }
}
