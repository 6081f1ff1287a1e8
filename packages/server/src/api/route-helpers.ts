import type { Context } from 'hono'
import { DomainError, invalidSymbol } from '../core'
import type { AppServices } from '../services'
import type { AppEnv } from './types'

/** The caller's user id; security middleware guarantees a principal on these routes. */
export function userOf(c: Context<AppEnv>): string {
  const principal = c.get('principal')
  if (!principal) throw new DomainError('AUTHENTICATION_FAILED', 'A bearer token is required')
  return principal.userId
}

/** The caller as a reader of owned resources (executions): its user id and scopes (admin_full reads all). */
export function readerOf(c: Context<AppEnv>): { userId: string; scopes: readonly string[] } {
  const principal = c.get('principal')
  if (!principal) throw new DomainError('AUTHENTICATION_FAILED', 'A bearer token is required')
  return { userId: principal.userId, scopes: principal.scopes }
}

/** An enabled, known symbol (upper-cased), or INVALID_SYMBOL listing the enabled ones. */
export function requireSymbol(s: AppServices, raw: string): string {
  const symbol = raw.toUpperCase()
  if (!s.market.instrument(symbol) || !s.settings.isSymbolEnabled(symbol))
    throw invalidSymbol(raw, s.settings.get()['exchanges.simulated.symbols'])
  return symbol
}

/** An optional ISO 8601 query value as epoch ms. */
export const timeOf = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso))
