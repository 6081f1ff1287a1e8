export const SCOPES = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics', 'admin_full'] as const
export type Scope = (typeof SCOPES)[number]

/** `admin_full` passes every scope check. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  return granted.includes('admin_full') || granted.includes(needed)
}

/** True when every scope in `needed` is held (an empty requirement is always met). */
export function hasAllScopes(granted: readonly string[], needed: readonly string[]): boolean {
  return needed.every((s) => hasScope(granted, s))
}
