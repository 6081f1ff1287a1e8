import { DomainError, type Clock } from '../core'
import type { ApiKeyRepository } from '../store'
import type { AccessTokens, Principal } from './access-tokens'
import { hasScope, type Scope } from './scopes'
import { randomId, randomSecret, sha256 } from './secrets'

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000

export interface TokenPair {
  token: string
  token_type: 'Bearer'
  expires_at: string
  permissions: Scope[]
  refresh_token: string
  refresh_expires_at: string
}

/** Who asks for a token: the holder of an API key, or of an access token. */
export type TokenGrantor = { userId: string; scopes: string[] }

const authFailed = (message: string): DomainError => new DomainError('AUTHENTICATION_FAILED', message)

/** API keys, access-token issuance and refresh-token rotation. */
export class AuthService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
  ) {}

  /** Store an API key (hashed) unless it exists; returns the key's id. */
  ensureApiKey(secret: string, userId: string, scopes: string[], label: string): string {
    const hash = sha256(secret)
    const found = this.keys.findApiKey(hash)
    if (found) {
      this.keys.updateApiKey(found.id, { userId, scopes })
      return found.id
    }
    const id = randomId('key')
    this.keys.insertApiKey({ id, userId, keyHash: hash, scopes, label, createdAt: this.clock.now() })
    return id
  }

  /** Create a new random API key for a user; the secret is returned once and never stored. */
  createApiKey(userId: string, scopes: string[], label: string): string {
    const secret = randomSecret('smc_')
    this.ensureApiKey(secret, userId, scopes, label)
    return secret
  }

  findApiKey(secret: string): TokenGrantor | undefined {
    const row = this.keys.findApiKey(sha256(secret))
    return row ? { userId: row.userId, scopes: row.scopes } : undefined
  }

  verifyAccessToken(token: string): Promise<Principal | { reason: string }> {
    return this.tokens.verify(token, this.clock.now())
  }

  /**
   * Issue a token pair for `userId` with `permissions`, on behalf of `grantor`. A grantor can only
   * grant scopes it holds, and only to itself unless it holds `admin_full`.
   */
  async generate(grantor: TokenGrantor, userId: string, permissions: Scope[], expiresIn: number): Promise<TokenPair> {
    const isAdmin = grantor.scopes.includes('admin_full')
    if (!isAdmin && userId !== grantor.userId)
      throw new DomainError('INSUFFICIENT_PERMISSIONS', 'This API key can only issue tokens for its own user', {
        user_id: userId,
        allowed_user_id: grantor.userId,
      })
    const missing = permissions.filter((p) => !hasScope(grantor.scopes, p))
    if (missing.length > 0)
      throw new DomainError('INSUFFICIENT_PERMISSIONS', `Cannot grant scopes the credential does not hold: ${missing.join(', ')}`, {
        requested: permissions,
        missing,
      })
    return this.issue(userId, permissions, expiresIn, randomId('fam'))
  }

  /** Rotate a refresh token: the old one stops working; presenting it again revokes its whole family. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.clock.now()
    const row = this.keys.findRefreshToken(sha256(refreshToken))
    if (!row) throw authFailed('Refresh token is invalid')
    if (row.revokedAt !== null) throw authFailed('Refresh token has been revoked')
    if (row.usedAt !== null) {
      // Reuse of a rotated token means it leaked: cut off every token descended from the same grant.
      this.keys.revokeRefreshFamily(row.familyId, now)
      throw authFailed('Refresh token has already been used; its token family is revoked')
    }
    if (row.expiresAt <= now) throw authFailed('Refresh token has expired')
    if (!this.keys.claimRefreshToken(row.id, now)) throw authFailed('Refresh token has already been used')
    return this.issue(row.userId, row.scopes as Scope[], row.accessTtl, row.familyId)
  }

  private async issue(userId: string, scopes: Scope[], ttlSeconds: number, familyId: string): Promise<TokenPair> {
    const now = this.clock.now()
    const { token, expiresAt } = await this.tokens.sign(userId, scopes, ttlSeconds, now)
    const refresh = randomSecret('smcr_', 32)
    const refreshExpiresAt = now + REFRESH_TTL_MS
    this.keys.insertRefreshToken({
      id: randomId('rt'),
      tokenHash: sha256(refresh),
      familyId,
      userId,
      scopes,
      accessTtl: ttlSeconds,
      expiresAt: refreshExpiresAt,
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    })
    return {
      token,
      token_type: 'Bearer',
      expires_at: new Date(expiresAt).toISOString(),
      permissions: scopes,
      refresh_token: refresh,
      refresh_expires_at: new Date(refreshExpiresAt).toISOString(),
    }
  }
}
