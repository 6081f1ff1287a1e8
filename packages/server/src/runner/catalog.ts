import { DomainError } from '../core'
import { STRATEGIES, STRATEGY_NAMES, isStrategyName, parseStrategyParams } from '../strategies/registry'
import type { StrategyDefinition } from '../strategies/types'
import type { StrategyCatalog } from './types'

/**
 * A catalog over strategy definitions (the registry's built-ins, or test doubles). Parameters are
 * validated with the definition's zod schema; the first issue becomes VALIDATION_FAILED with
 * `details.field` = `params.<path>` (`params` for the object itself).
 */
export function catalogOf(definitions: readonly StrategyDefinition[]): StrategyCatalog {
  const byName = new Map<string, StrategyDefinition>(definitions.map((d) => [d.name, d]))
  return {
    definition: (name) => byName.get(name),
    names: () => [...byName.keys()],
    parse(name, input) {
      const def = byName.get(name)
      if (!def) throw new DomainError('VALIDATION_FAILED', `Unknown strategy "${name}"`, { field: 'strategy' })
      const r = def.params.safeParse(input)
      if (r.success) return r.data
      const issue = r.error.issues[0]!
      // An unknown key is reported on the object: name the key itself.
      const keys = (issue as { keys?: unknown }).keys
      const at = issue.code === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0 ? [...issue.path, keys[0] as string] : issue.path
      const path = at.map(String).join('.')
      throw new DomainError('VALIDATION_FAILED', `params${path ? `.${path}` : ''}: ${issue.message}`, {
        field: path ? `params.${path}` : 'params',
        issues: r.error.issues.map((i) => ({ field: ['params', ...i.path.map(String)].join('.'), message: i.message })),
      })
    },
  }
}

/**
 * The built-in strategies of the registry (`strategies/registry.ts`): the same definitions, the same
 * parameter validation (`parseStrategyParams`, VALIDATION_FAILED with `details.field` = `params.<key>`)
 * as backtests.
 */
export const builtinCatalog: StrategyCatalog = {
  definition: (name) => (isStrategyName(name) ? (STRATEGIES[name] as StrategyDefinition) : undefined),
  names: () => [...STRATEGY_NAMES],
  parse: (name, input) => parseStrategyParams(name, input),
}
