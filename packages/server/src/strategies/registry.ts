import { z } from 'zod'
import { DomainError, type ErrorCode } from '../core'
import { breakout } from './breakout'
import { rsiReversion } from './rsi-reversion'
import { smaCrossover } from './sma-crossover'
import { smcTrend } from './smc-trend'
import type { StrategyDefinition } from './types'

/** The built-in strategies by name (the `strategy` of a backtest request). */
export const STRATEGIES = Object.freeze({
  sma_crossover: smaCrossover,
  rsi_reversion: rsiReversion,
  smc_trend: smcTrend,
  breakout,
})

export type StrategyName = keyof typeof STRATEGIES

export const STRATEGY_NAMES = Object.freeze(Object.keys(STRATEGIES) as StrategyName[])

export const isStrategyName = (name: unknown): name is StrategyName => typeof name === 'string' && Object.hasOwn(STRATEGIES, name)

/**
 * A built-in strategy by name.
 *
 * @throws DomainError STRATEGY_NOT_FOUND (details.strategy, details.available) for any other name.
 * @example
 * const def = getStrategy('sma_crossover')
 * const instance = def.create(def.params.parse({ fast: 10, slow: 30 }), setup)
 */
export function getStrategy(name: string): StrategyDefinition {
  if (!isStrategyName(name)) {
    throw new DomainError('STRATEGY_NOT_FOUND', `Unknown strategy "${cut(String(name))}"`, {
      strategy: cut(String(name)),
      available: [...STRATEGY_NAMES],
    })
  }
  return STRATEGIES[name] as StrategyDefinition
}

/** One entry of `GET /v1/strategies`. */
export interface StrategyDescription {
  name: string
  description: string
  /** JSON Schema (draft 2020-12) of the parameters as a client sends them: every field optional, with its default and bounds. */
  parameters: Record<string, unknown>
}

/**
 * Every built-in with its parameter schema (zod 4 `toJSONSchema`, input side: `default`, `minimum` /
 * `maximum` / `exclusiveMinimum`, `type: integer`, `description`, `additionalProperties: false`),
 * for clients to build forms. Cross-field rules (fast < slow, …) are not expressible there; they
 * come back as VALIDATION_FAILED naming the field. A fresh copy on every call.
 */
export function describeStrategies(): StrategyDescription[] {
  return STRATEGY_NAMES.map((name) => {
    const def = STRATEGIES[name]
    return { name, description: def.description, parameters: z.toJSONSchema(def.params, { io: 'input' }) as Record<string, unknown> }
  })
}

const MAX_ISSUES = 10

/**
 * Validate a request's `params` for a strategy, filling defaults (undefined or null → all defaults).
 * Unknown keys are refused (a typo never silently falls back to a default).
 *
 * @throws DomainError STRATEGY_NOT_FOUND for an unknown strategy; VALIDATION_FAILED with
 *   `details.field` = `params.<key>` of the first problem and `details.issues` (at most 10), the
 *   server's validation shape (api/errors.ts `validationError`, target `params`).
 * @example
 * parseStrategyParams('sma_crossover', { fast: 30, slow: 10 })
 * // throws VALIDATION_FAILED 'Invalid params field "params.fast": must be less than slow (10)', { field: 'params.fast', … }
 */
export function parseStrategyParams(name: string, input: unknown): { risk_fraction: number } & Record<string, unknown> {
  const def = getStrategy(name)
  const parsed = def.params.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : []
    const path = keys.length > 0 ? [...i.path, keys[0]!] : i.path
    return { field: cut(['params', ...path.map(String)].join('.')), message: cut(i.message), code: i.code }
  })
  const first = issues[0]!
  return raise(first, issues)
}

function raise(first: { field: string; message: string }, issues: { field: string; message: string; code: string }[]): never {
  throw new DomainError('VALIDATION_FAILED', `Invalid params field "${first.field}": ${first.message}`, { target: 'params', field: first.field, issues })
}

/** Client text echoed in an error stays short. */
const cut = (text: string): string => (text.length <= 200 ? text : `${text.slice(0, 200)}… (${text.length} characters)`)
