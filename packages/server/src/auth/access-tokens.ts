import { SignJWT, jwtVerify, errors } from 'jose'
import { randomId } from './secrets'

export interface Principal {
  userId: string
  scopes: string[]
  tokenId: string
  expiresAt: number
}

const ISSUER = 'smc-trading'
const AUDIENCE = 'smc-trading-api'

/** Signs and verifies HS256 access tokens; the key comes from config or the store. */
export class AccessTokens {
  private readonly key: Uint8Array
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret)
  }

  async sign(userId: string, scopes: string[], ttlSeconds: number, nowMs: number): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(nowMs / 1000)
    const exp = iat + ttlSeconds
    const token = await new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomId('tok'))
      .sign(this.key)
    return { token, expiresAt: exp * 1000 }
  }

  /** The principal of a valid token, or a reason it is not valid. */
  async verify(token: string, nowMs: number): Promise<Principal | { reason: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(nowMs),
      })
      if (typeof payload.sub !== 'string' || typeof payload.scope !== 'string' || typeof payload.jti !== 'string')
        return { reason: 'token is missing required claims' }
      return {
        userId: payload.sub,
        scopes: payload.scope.split(' ').filter(Boolean),
        tokenId: payload.jti,
        expiresAt: (payload.exp ?? 0) * 1000,
      }
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { reason: 'token has expired' }
      return { reason: 'token is invalid' }
    }
  }
}
