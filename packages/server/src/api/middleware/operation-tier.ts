import { operations, type RateLimitTier } from '../../generated/routes'

interface Template {
  re: RegExp
  tier: RateLimitTier
  params: number
}

/** The tier of requests that name no operation (404s): the seed's general limit. */
export const FALLBACK_TIER: RateLimitTier = 'trading'

/**
 * Resolve a request's rate-limit tier from the contract's operation table, before routing:
 * fixed paths before templated ones, so `/v1/market-data/{symbol}` never shadows a fixed path.
 */
export function operationTiers(): (method: string, path: string) => RateLimitTier {
  const byMethod = new Map<string, Template[]>()
  const exact = new Map<string, RateLimitTier>()
  for (const op of operations) {
    const method = op.method.toUpperCase()
    const params = (op.path.match(/\{[^}]+\}/g) ?? []).length
    if (params === 0) {
      exact.set(`${method} ${op.path}`, op.rateLimitTier)
      continue
    }
    const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')
    const list = byMethod.get(method) ?? []
    list.push({ re: new RegExp(`^${pattern}$`), tier: op.rateLimitTier, params })
    byMethod.set(method, list)
  }
  for (const list of byMethod.values()) list.sort((a, b) => a.params - b.params)
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method
    const hit = exact.get(`${m} ${path}`)
    if (hit) return hit
    for (const t of byMethod.get(m) ?? []) if (t.re.test(path)) return t.tier
    return FALLBACK_TIER
  }
}
