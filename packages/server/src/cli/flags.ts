// The backtest command's flag values read from text, and the engine's refusals said in the flags'
// names: the engine speaks the API's field names (start_time, initial_balance), the user typed --from.
import { DomainError } from '../core'
import { describeStrategies } from '../strategies'

/** A command line that cannot run as written: the CLI exits 2 with the message, which names the flag. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * A number as written by hand: digits with an optional sign, fraction and exponent (10, -0.5, .02,
 * 2e-2). Number() alone would also take '' and ' ' (0), '0x10' (16), '0b1' and 'Infinity', so the
 * form is checked first.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** The number a flag's text writes, or NaN when it is not a finite decimal number. */
export function decimalNumber(text: string): number {
  const v = DECIMAL.test(text) ? Number(text) : Number.NaN
  return Number.isFinite(v) ? v : Number.NaN
}

/** A numeric flag's value; anything but a finite decimal number is a UsageError naming the flag. */
export function numberFlag(flag: string, text: string): number {
  const v = decimalNumber(text)
  if (Number.isNaN(v)) throw new UsageError(`--${flag} must be a decimal number, e.g. 10, 2.5 or 1e-3 (got ${JSON.stringify(text)})`)
  return v
}

/** A value of `--param key=value`: a number when it reads as one, true/false, null, else the text. */
export function paramValue(text: string): unknown {
  const n = decimalNumber(text)
  if (!Number.isNaN(n)) return n
  if (text === 'true' || text === 'false') return text === 'true'
  if (text === 'null') return null
  return text
}

/** The `--param key=value` flags as an object (a later key wins). */
export function paramsOf(flags: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const p of flags) {
    const eq = p.indexOf('=')
    if (eq <= 0) throw new UsageError(`--param ${JSON.stringify(p)}: expected key=value, e.g. --param fast=10`)
    params[p.slice(0, eq)] = paramValue(p.slice(eq + 1))
  }
  return params
}

/** The spec's fields and the flags that set them. */
const FLAG_OF: Readonly<Record<string, string>> = {
  start_time: '--from',
  end_time: '--to',
  interval: '--interval',
  symbol: '--symbol',
  initial_balance: '--balance',
  taker_fee_bps: '--fee-bps',
  maker_fee_bps: '--maker-fee-bps',
  slippage_bps: '--slippage-bps',
}

/** Refusals that are the command line's fault (exit 2); the rest (data, files) refuse the run (exit 1). */
const USAGE_CODES = new Set(['VALIDATION_FAILED', 'STRATEGY_NOT_FOUND', 'INVALID_SYMBOL'])

export function isUsageRefusal(e: DomainError): boolean {
  return USAGE_CODES.has(e.code)
}

/**
 * A DomainError in the CLI's terms: field names become their flags ("--from must be before --to"),
 * a bad strategy parameter is "--param key: …" with the keys the strategy takes when the key is
 * unknown, and an unknown strategy lists the known ones.
 */
export function inFlagTerms(e: DomainError, strategy: string): string {
  if (e.code === 'STRATEGY_NOT_FOUND') return `--strategy: ${e.message}; one of ${(e.details.available as string[] | undefined)?.join(', ')}`
  const symbols = e.details.available
  if (e.code === 'INVALID_SYMBOL' && Array.isArray(symbols) && symbols.length > 0) return `--symbol: ${e.message}; the data has ${symbols.join(', ')}`
  const field = e.details.field
  if (typeof field === 'string' && field.startsWith('params.')) {
    const key = field.slice('params.'.length)
    const issues = e.details.issues as { message: string; code: string }[] | undefined
    const issue = issues?.[0]
    let text = `--param ${key}: ${issue?.message ?? e.message}`
    if (issue?.code === 'unrecognized_keys') {
      const props = describeStrategies().find((s) => s.name === strategy)?.parameters.properties as Record<string, unknown> | undefined
      if (props) text += ` (${strategy} takes ${Object.keys(props).join(', ')})`
    }
    return text
  }
  if (e.code !== 'VALIDATION_FAILED') return e.message
  // Only the snake_case names: "symbol" or "interval" in a sentence are words, not fields.
  let text = e.message
  for (const [name, flag] of Object.entries(FLAG_OF)) if (name.includes('_')) text = text.replace(new RegExp(`\\b${name}\\b`, 'g'), flag)
  if (typeof field === 'string' && FLAG_OF[field] && !text.includes(FLAG_OF[field])) text = `${FLAG_OF[field]}: ${text}`
  return text
}
