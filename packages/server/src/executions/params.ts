import { DomainError, parseDecimal, parseIsoDateTime } from '../core'

// Query parameters of the executions API as they arrive: query-string text from a route, or numbers
// from code. Each is checked here, so every caller gets the same 400s (VALIDATION_FAILED naming the
// field), and the canonical values go back into the next/previous links.

/** A raw query value: text from a URL or a number from code; undefined or null: absent. */
export type RawParam = string | number | null | undefined
export type RawQuery = Readonly<Record<string, RawParam>>

export const MAX_PAGE_SIZE = 1000
export const DEFAULT_PAGE_SIZE = 1000
export const DEFAULT_EQUITY_PAGE_SIZE = 500
/** Larger `max_points` than this are refused (a curve that long is not downsampled for display). */
export const MAX_POINTS_LIMIT = 100_000

export const invalid = (field: string, message: string, value?: unknown): DomainError =>
  new DomainError('VALIDATION_FAILED', message, value === undefined ? { field } : { field, value })

const present = (v: RawParam): v is string | number => v !== undefined && v !== null

/** An integer within [min, max], or `fallback` when absent. */
export function intParam(q: RawQuery, field: string, min: number, max: number, fallback: number): number
export function intParam(q: RawQuery, field: string, min: number, max: number): number | undefined
export function intParam(q: RawQuery, field: string, min: number, max: number, fallback?: number): number | undefined {
  const v = q[field]
  if (!present(v)) return fallback
  const n = typeof v === 'number' ? v : parseDecimal(v.trim(), true)
  if (n === undefined || !Number.isInteger(n) || n < min || n > max)
    throw invalid(field, `${field} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}`, v)
  return n
}

/** One of `allowed`, or undefined when absent. */
export function enumParam<T extends string>(q: RawQuery, field: string, allowed: readonly T[]): T | undefined {
  const v = q[field]
  if (!present(v)) return undefined
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${allowed.join(', ')}`, { field, value: v, allowed })
  return v as T
}

/** A non-empty string of at most `maxLength` characters, or undefined when absent. */
export function textParam(q: RawQuery, field: string, maxLength = 100): string | undefined {
  const v = q[field]
  if (!present(v)) return undefined
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength)
    throw invalid(field, `${field} must be a string of 1 to ${maxLength} characters`, typeof v === 'string' ? v.slice(0, maxLength) : v)
  return v
}

/** An ISO 8601 date-time (or epoch ms from code) as epoch ms, or undefined when absent. */
export function timeParam(q: RawQuery, field: string): number | undefined {
  const v = q[field]
  if (!present(v)) return undefined
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalid(field, `${field} must be an ISO 8601 date-time`, v)
    return v
  }
  const iso = parseIsoDateTime(v.trim())
  if (iso === undefined) throw invalid(field, `${field} must be an ISO 8601 date-time`, v.slice(0, 100))
  return Date.parse(iso)
}

export interface Paging {
  page: number
  pageSize: number
  offset: number
}

/** `page` (≥ 1, default 1) and `page_size` (1–1000). */
export function pagingParams(q: RawQuery, defaultPageSize: number): Paging {
  const page = intParam(q, 'page', 1, 1_000_000, 1)
  const pageSize = intParam(q, 'page_size', 1, MAX_PAGE_SIZE, defaultPageSize)
  return { page, pageSize, offset: (page - 1) * pageSize }
}

/** The `since_sequence` bound (strictly greater; 0: from the start). */
export const sinceParam = (q: RawQuery): number => intParam(q, 'since_sequence', 0, Number.MAX_SAFE_INTEGER, 0)

/** A paginated list as served: the total matching and links to the neighbouring pages. */
export interface PageLinks {
  count: number
  next: string | null
  previous: string | null
}

/**
 * `count` and the next/previous links (relative URLs) of `path`, keeping every filter in `filters`
 * (in order; undefined ones left out) and the page size.
 *
 * @example
 * pageLinks('/v1/executions/12/events', [['event_type', 'trade_executed']], { page: 2, pageSize: 100, offset: 100 }, 450)
 * // { count: 450, next: '/v1/executions/12/events?event_type=trade_executed&page=3&page_size=100',
 * //   previous: '/v1/executions/12/events?event_type=trade_executed&page=1&page_size=100' }
 */
export function pageLinks(
  path: string,
  filters: ReadonlyArray<readonly [string, string | number | undefined]>,
  paging: Paging,
  count: number,
): PageLinks {
  const link = (page: number): string => {
    const params = new URLSearchParams()
    for (const [k, v] of filters) if (v !== undefined) params.append(k, String(v))
    params.append('page', String(page))
    params.append('page_size', String(paging.pageSize))
    return `${path}?${params.toString()}`
  }
  const lastPage = Math.max(1, Math.ceil(count / paging.pageSize))
  return {
    count,
    next: paging.page < lastPage ? link(paging.page + 1) : null,
    // From beyond the end, back to the last page that has rows.
    previous: paging.page > 1 ? link(Math.min(paging.page - 1, lastPage)) : null,
  }
}

/** Epoch ms as the contract's ISO string. */
export const iso = (ms: number): string => new Date(ms).toISOString()
