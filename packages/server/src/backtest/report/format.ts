// Escaping and number/time formatting for the server-rendered part of the report. Deterministic:
// fixed locale, UTC, no clock.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text or attribute value → HTML-safe (the five significant characters). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!)
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two JS line
 * separators as \u escapes, so no value can close the element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const numberFormats = new Map<string, Intl.NumberFormat>()

/** `1234.5` → `1,234.50` with exactly `decimals` digits ("—" for null/NaN/±∞). */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const key = String(decimals)
  let f = numberFormats.get(key)
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    numberFormats.set(key, f)
  }
  const s = f.format(value)
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s
}

/** Like {@link formatNumber} with a leading `+` on positive values. */
export function formatSigned(value: number | null | undefined, decimals = 2): string {
  const s = formatNumber(value, decimals)
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0 && s !== formatNumber(0, decimals) ? `+${s}` : s
}

/** Up to `maxDecimals`, trailing zeros dropped (quantities). */
export function formatTrimmed(value: number | null | undefined, maxDecimals = 8): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const s = formatNumber(value, maxDecimals)
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s
}

/** ms → `2024-01-02 03:04` (UTC; seconds when they are not zero). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  const iso = new Date(ms).toISOString()
  const seconds = iso.slice(17, 19)
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`
}

/** A span in ms → `3d 4h 5m` (the two largest units). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const minutes = Math.round(ms / 60_000)
  if (minutes === 0) return ms === 0 ? '0m' : `${Math.round(ms / 1000)}s`
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  const parts: string[] = []
  if (d) parts.push(`${d}d`)
  if (h) parts.push(`${h}h`)
  if (m) parts.push(`${m}m`)
  return parts.slice(0, 2).join(' ')
}

/** Decimals for prices of this magnitude: about 5 significant digits, 2 to 8. */
export function priceDecimals(typicalPrice: number): number {
  if (!Number.isFinite(typicalPrice) || typicalPrice <= 0) return 2
  return Math.max(2, Math.min(8, 4 - Math.floor(Math.log10(typicalPrice))))
}

/** A strategy parameter's value as text (strings verbatim, others as JSON). */
export function paramText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return 'undefined'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
