/**
 * An optional clock time (epoch ms) as the contract's date-time string, null kept.
 *
 * @example
 * isoOrNull(0)    // '1970-01-01T00:00:00.000Z'
 * isoOrNull(null) // null
 */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
