import type { RateLimitTier } from '../../generated/routes'
import type { RuntimeSettings } from '../../settings'
import type { TierLimit } from './rate-limit'

/**
 * Each tier's limit from the runtime settings: seed 000's per-minute limit and burst for trading and
 * market data (each its own bucket), a limit per window for the others.
 */
export function tierLimits(s: Readonly<RuntimeSettings>): Record<RateLimitTier, TierLimit> {
  const seed: TierLimit = { limit: s['rate_limits.requests_per_minute'], windowSeconds: 60, burstPerSecond: s['rate_limits.burst_per_second'] }
  const windowed = (t: 'health' | 'metrics' | 'admin' | 'ml'): TierLimit => ({
    limit: s[`rate_limits.${t}.limit`],
    windowSeconds: s[`rate_limits.${t}.window_seconds`],
    burstPerSecond: null,
  })
  return { trading: seed, market_data: { ...seed }, health: windowed('health'), metrics: windowed('metrics'), admin: windowed('admin'), ml: windowed('ml') }
}
