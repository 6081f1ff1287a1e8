import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import contract from '../generated/openapi.json' with { type: 'json' }
import { createTestContext, TEST_EPOCH, type TestContext } from '../testing'

// Date-times inside request bodies take ISO 8601 as people write it, exactly as query and path
// parameters do (issue 26), and handlers see the canonical `…Z` string. The table below must name
// every body date-time field of the contract: a new one fails the first test until it is added here.

type Json = Record<string, any>
const doc = contract as Json

/** `operationId field` for every date-time field a request body of the contract can carry. */
function bodyDateTimeFields(): string[] {
  const out: string[] = []
  const walk = (s: Json | undefined, path: string[], id: string, seen: Set<string>): void => {
    if (!s) return
    if (typeof s.$ref === 'string') {
      const name = s.$ref.split('/').at(-1)!
      if (!seen.has(name)) walk(doc.components.schemas[name], path, id, new Set([...seen, name]))
      return
    }
    if (s.format === 'date-time') out.push(`${id} ${path.join('.')}`)
    for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) walk(v, [...path, k], id, seen)
    if (s.items) walk(s.items, [...path, '0'], id, seen)
    for (const sub of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) walk(sub, path, id, seen)
  }
  for (const item of Object.values(doc.paths as Json))
    for (const op of Object.values(item as Json))
      for (const media of Object.values(((op as Json)?.requestBody?.content ?? {}) as Json)) walk((media as Json).schema, [], (op as Json).operationId, new Set())
  return out.sort()
}

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000' })
  token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'dates')
})
afterEach(async () => {
  ctx.services.backtests.stopAll()
  await ctx.services.backtests.idle()
  await ctx.close()
})

const iso = (ms: number): string => new Date(ms).toISOString()
const HOUR = 3_600_000
const DAY = 24 * HOUR

const presetBody = async (name: string): Promise<Json> => {
  const res = await ctx.call('GET', '/v1/presets/balanced', { token })
  return { ...(await res.json()), name }
}

interface Row {
  /** A whole second (UTC) the field can take in this test's world. */
  at: number
  /** Send the body with the field set to `value` (any JSON). */
  send: (value: unknown, n: number) => Promise<Response>
  /** The value the handler stored, as the API reports it afterwards; absent for ignored fields. */
  stored?: (res: Response) => Promise<string>
}

const backtest = (field: 'start_time' | 'end_time') => async (value: unknown) => {
  const body: Json = { strategy: 'sma_crossover', params: { fast: 5, slow: 20 }, symbol: 'BTCUSDT', interval: '15m', start_time: iso(TEST_EPOCH - 4 * DAY), end_time: iso(TEST_EPOCH - DAY) }
  body[field] = value
  const res = await ctx.call('POST', '/v1/backtests', { token, body })
  // At most two runs at a time: let this one finish before the next form is sent.
  await ctx.services.backtests.idle()
  return res
}
const storedBacktest = (field: 'start_time' | 'end_time') => async (res: Response) => {
  const task = await (await ctx.call('GET', `/v1/backtests/${(await res.json()).task_id}`, { token })).json()
  return task[field] as string
}

const ROWS: Record<string, Row> = {
  'createBacktest start_time': { at: TEST_EPOCH - 4 * DAY, send: backtest('start_time'), stored: storedBacktest('start_time') },
  'createBacktest end_time': { at: TEST_EPOCH - DAY, send: backtest('end_time'), stored: storedBacktest('end_time') },
  'executeTrade expires_at': {
    at: TEST_EPOCH + 2 * DAY + 3 * HOUR,
    send: (value) => {
      const bid = ctx.services.market.ticker('BTCUSDT').bid
      const body = { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(bid * 0.9), quantity: 0.01, time_in_force: 'GTD', expires_at: value }
      return ctx.call('POST', '/v1/trades', { token, body })
    },
    stored: async (res) => (await res.json()).expires_at,
  },
  // A read-only field a GET → edit → PUT/POST round trip sends back: accepted in every form, ignored.
  'createPreset updated_at': {
    at: TEST_EPOCH - DAY,
    send: async (value, n) => ctx.call('POST', '/v1/presets', { token, body: { ...(await presetBody(`mine_${n}`)), updated_at: value } }),
  },
  'updatePreset updated_at': {
    at: TEST_EPOCH - DAY,
    send: async (value) => ctx.call('PUT', '/v1/presets/balanced', { token, body: { ...(await presetBody('balanced')), updated_at: value } }),
  },
}

/** The forms people write for the instant `at` (a whole second), each with the `…Z` it means. */
function forms(at: number): Array<[string, string]> {
  const z = iso(at) // 2024-01-11T12:00:00.000Z
  const plain = z.slice(0, 19)
  const day = z.slice(0, 10)
  return [
    [`${plain}Z`, z],
    [plain, z], // no offset: UTC
    [`${plain}.858731`, `${plain}.858Z`], // Python's isoformat(): microseconds
    [`${plain}.123456789`, `${plain}.123Z`],
    [`${iso(at + 2 * HOUR).slice(0, 19)}+02:00`, z],
    [`${iso(at - 5 * HOUR - 30 * 60_000).slice(0, 19)}-0530`, z],
    [`${day} ${z.slice(11, 16)}`, z.slice(0, 16) + ':00.000Z'], // a space, no seconds
    [day, `${day}T00:00:00.000Z`], // date only: midnight UTC
  ]
}

const BAD: unknown[] = ['2024-02-30', '2024-01-11T25:00:00', 'yesterday', '', 1705320000, true]

describe('date-times in request bodies', () => {
  it('the table covers every body date-time field of the contract', () => {
    expect(Object.keys(ROWS).sort()).toEqual(bodyDateTimeFields())
  })

  for (const [key, row] of Object.entries(ROWS)) {
    const field = key.split(' ')[1]!
    it(`${key}: ISO 8601 as people write it → accepted, stored as …Z`, async () => {
      let n = 0
      for (const [value, canonical] of forms(row.at)) {
        const res = await row.send(value, n++)
        expect(res.status, `${key} = ${value}`).toBeLessThan(300)
        if (row.stored) expect(await row.stored(res), `${key} = ${value}`).toBe(canonical)
      }
    })

    it(`${key}: anything else → 400 VALIDATION_FAILED naming ${field}`, async () => {
      let n = 100
      for (const value of BAD) {
        const res = await row.send(value, n++)
        expect(res.status, `${key} = ${JSON.stringify(value)}`).toBe(400)
        const { error } = await res.json()
        expect(error.code).toBe('VALIDATION_FAILED')
        expect(error.details.field, `${key} = ${JSON.stringify(value)}`).toBe(field)
      }
    })
  }
})
