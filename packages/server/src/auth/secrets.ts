import { createHash, randomBytes } from 'node:crypto'

/** API keys and refresh tokens are high-entropy random strings, so a plain SHA-256 is a safe at-rest hash. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** A URL-safe random secret with the given prefix, e.g. `smc_live_…`. */
export const randomSecret = (prefix: string, bytes = 24): string => `${prefix}${randomBytes(bytes).toString('base64url')}`

export const randomId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`
