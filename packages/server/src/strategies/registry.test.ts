import { describe, expect, it } from 'vitest'
import { DomainError } from '../core'
import { STRATEGIES, STRATEGY_NAMES, describeStrategies, getStrategy, parseStrategyParams } from '.'
import { BTC, checkIntents, randomCandles, setupFor, simulate } from './strategies.test-helpers'

const failure = (fn: () => unknown): DomainError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a DomainError')
}

describe('registry', () => {
  it('lists the four built-ins under their names', () => {
    expect(STRATEGY_NAMES).toEqual(['sma_crossover', 'rsi_reversion', 'smc_trend', 'breakout'])
    for (const name of STRATEGY_NAMES) {
      expect(STRATEGIES[name].name).toBe(name)
      expect(getStrategy(name)).toBe(STRATEGIES[name])
    }
  })

  it('an unknown strategy is STRATEGY_NOT_FOUND with the available names', () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', '']) {
      const e = failure(() => getStrategy(name))
      expect(e.code).toBe('STRATEGY_NOT_FOUND')
      expect(e.details).toMatchObject({ strategy: name, available: STRATEGY_NAMES })
    }
    expect(failure(() => parseStrategyParams('nope', {})).code).toBe('STRATEGY_NOT_FOUND')
  })

  it('fills defaults', () => {
    expect(parseStrategyParams('sma_crossover', undefined)).toEqual({
      fast: 10,
      slow: 30,
      atr_stop_multiple: 2,
      risk_fraction: 0.01,
      take_profit_r: 2,
      allow_short: true,
      atr_period: 14,
    })
    expect(parseStrategyParams('rsi_reversion', null)).toMatchObject({ period: 14, oversold: 30, overbought: 70 })
    expect(parseStrategyParams('smc_trend', {})).toMatchObject({ swing_length: 5, ob_max_age: 100, stop_buffer_atr: 0.1 })
    expect(parseStrategyParams('breakout', { volume_factor: 2 })).toMatchObject({ volume_factor: 2, volume_period: 20, level_lookback: 300 })
    expect(parseStrategyParams('sma_crossover', { take_profit_r: null })).toMatchObject({ take_profit_r: null })
  })

  it('bad params are VALIDATION_FAILED naming the field', () => {
    const cases: [string, unknown, string][] = [
      ['sma_crossover', { fast: 30, slow: 10 }, 'params.fast'],
      ['sma_crossover', { fast: 2.5 }, 'params.fast'],
      ['sma_crossover', { slow: 5000 }, 'params.slow'],
      ['sma_crossover', { risk_fraction: 0 }, 'params.risk_fraction'],
      ['sma_crossover', { risk_fraction: 0.11 }, 'params.risk_fraction'],
      ['sma_crossover', { take_profit_r: -1 }, 'params.take_profit_r'],
      ['sma_crossover', { fats: 3 }, 'params.fats'],
      ['sma_crossover', { allow_short: 'yes' }, 'params.allow_short'],
      ['rsi_reversion', { oversold: 55 }, 'params.oversold'],
      ['rsi_reversion', { overbought: 100 }, 'params.overbought'],
      ['smc_trend', { swing_length: 0 }, 'params.swing_length'],
      ['smc_trend', { stop_buffer_atr: '1' }, 'params.stop_buffer_atr'],
      ['breakout', { swing_length: 10, level_lookback: 20 }, 'params.level_lookback'],
      ['breakout', { volume_factor: -1 }, 'params.volume_factor'],
      ['breakout', 'fast=3', 'params'],
      ['breakout', [1], 'params'],
    ]
    for (const [name, input, field] of cases) {
      const e = failure(() => parseStrategyParams(name, input))
      expect(e.code, `${name} ${JSON.stringify(input)}`).toBe('VALIDATION_FAILED')
      expect(e.details, `${name} ${JSON.stringify(input)}`).toMatchObject({ target: 'params', field })
      expect(e.message).toContain(field)
    }
    expect(failure(() => parseStrategyParams('sma_crossover', { fast: 30, slow: 10 })).message).toBe(
      'Invalid params field "params.fast": must be less than slow (10)',
    )
  })

  it('describeStrategies: JSON Schema with a default and bounds on every field', () => {
    const described = describeStrategies()
    expect(described.map((d) => d.name)).toEqual(STRATEGY_NAMES)
    for (const d of described) {
      expect(d.description.length).toBeGreaterThan(40)
      const schema = d.parameters as { type: string; properties: Record<string, Record<string, unknown>>; additionalProperties: boolean; required?: string[] }
      expect(schema.type).toBe('object')
      expect(schema.additionalProperties).toBe(false)
      expect(schema.required ?? []).toEqual([])
      expect(schema.properties.risk_fraction).toMatchObject({ default: 0.01, type: 'number', exclusiveMinimum: 0, maximum: 0.1 })
      for (const [key, prop] of Object.entries(schema.properties)) {
        expect(prop, `${d.name}.${key}`).toHaveProperty('default')
        expect(typeof prop.description, `${d.name}.${key}`).toBe('string')
        const numeric = [prop, ...((prop.anyOf as Record<string, unknown>[] | undefined) ?? [])].find((p) => p.type === 'number' || p.type === 'integer')
        if (numeric) {
          expect('minimum' in numeric || 'exclusiveMinimum' in numeric, `${d.name}.${key} lower bound`).toBe(true)
          expect('maximum' in numeric || 'exclusiveMaximum' in numeric, `${d.name}.${key} upper bound`).toBe(true)
        }
      }
      // The listed defaults are the ones parsing applies.
      const defaults = Object.fromEntries(Object.entries(schema.properties).map(([k, p]) => [k, p.default]))
      expect(parseStrategyParams(d.name, defaults)).toEqual(parseStrategyParams(d.name, {}))
    }
    const sma = described[0]!.parameters as { properties: Record<string, unknown> }
    expect(sma.properties.fast).toMatchObject({ type: 'integer', minimum: 2, maximum: 500, default: 10 })
    expect(sma.properties.take_profit_r).toMatchObject({ default: 2, anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 20 }, { type: 'null' }] })
    // A fresh copy each call.
    ;(described[0]!.parameters as { type: string }).type = 'changed'
    expect((describeStrategies()[0]!.parameters as { type: string }).type).toBe('object')
  })

  it('every built-in runs with its defaults and answers well-formed intents, the same for the same candles', () => {
    const candles = randomCandles(1500, 'registry-all', 100, 0.004)
    for (const name of STRATEGY_NAMES) {
      const run = simulate(getStrategy(name), {}, candles)
      checkIntents(run.steps, candles)
      expect(run.steps.filter((s) => s.intent.action === 'open').length, name).toBeGreaterThan(0)
      expect(simulate(getStrategy(name), {}, candles)).toEqual(run)
      // No hidden randomness: another seed in the setup changes nothing (none of the built-ins draws).
      expect(simulate(getStrategy(name), {}, candles, setupFor(BTC, 'another seed'))).toEqual(run)
    }
  })
})
