import { describe, expect, it } from 'vitest'
import { ConfigError, loadEnv } from './env'

describe('loadEnv', () => {
  it('has working embedded defaults', () => {
    const env = loadEnv({})
    expect(env.PORT).toBe(8000)
    expect(env.DATABASE_URL).toBe('./data/smc-trading.db')
    expect(env.MARKET_SOURCE).toBe('simulated')
    expect(env.RATE_LIMIT_PER_MINUTE).toBe(100)
    expect(env.RATE_LIMIT_BURST_PER_SECOND).toBe(20)
  })

  it('names the variable of a bad value', () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['PORT', '70000'],
      ['LOG_LEVEL', 'loud'],
      ['JWT_SECRET', 'short'],
      ['RATE_LIMIT_ENABLED', 'maybe'],
      ['MARKET_SOURCE', 'nyse'],
    ]) {
      expect(() => loadEnv({ [name!]: value }), `${name}=${value}`).toThrow(ConfigError)
      expect(() => loadEnv({ [name!]: value })).toThrow(new RegExp(`${name}`))
    }
  })

  it('treats empty strings as unset', () => {
    expect(loadEnv({ PORT: '' }).PORT).toBe(8000)
  })
})
