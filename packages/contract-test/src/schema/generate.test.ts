import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadBundledDocuments } from '../documents'
import { Runner } from '../runner'
import { createRng } from '../rng'
import { generateValid } from './generate'
import { invalidBodies } from './invalid'
import { ContractValidator } from './validator'

const documents = loadBundledDocuments(resolve(dirname(fileURLToPath(import.meta.url)), '../../../server/src/generated'))
const doc = documents.openapi
const requestSchemas = Object.values(doc.paths as Record<string, Record<string, any>>)
  .flatMap((item) => Object.values(item))
  .map((op) => op?.requestBody?.content?.['application/json']?.schema)
  .filter(Boolean)

describe('generated inputs', () => {
  it('mostly satisfy the request schemas they come from (the runner keeps only those that do)', () => {
    const v = new ContractValidator(doc)
    const rng = createRng(5)
    let ok = 0
    let total = 0
    for (const [i, schema] of requestSchemas.entries())
      for (let k = 0; k < 10; k++) {
        total++
        if (v.matches(`body${i}`, schema, generateValid(doc, schema, rng))) ok++
      }
    expect(ok / total).toBeGreaterThan(0.8)
  })

  it('are the same for the same seed and differ for another', () => {
    const plan = (seed: number): string => {
      const r = new Runner({ baseUrl: 'http://127.0.0.1:1', documents, seed })
      r.tokens = { user: 't', userScopes: ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'] }
      return JSON.stringify(r.operations.flatMap((op) => r.planCases(op).map((c) => [c.name, c.request.path, c.request.query, c.request.body])))
    }
    expect(plan(11)).toBe(plan(11))
    expect(plan(11)).not.toBe(plan(12))
  })

  it('make invalid bodies the schema rejects, each naming what is wrong', () => {
    const v = new ContractValidator(doc)
    const schema = { $ref: '#/components/schemas/TradeRequest' }
    const valid = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1 }
    expect(v.matches('t', schema, valid)).toBe(true)
    const variants = invalidBodies(doc, schema, valid)
    const labels = variants.map((x) => x.label)
    expect(labels).toContain('missing required field "symbol"')
    expect(labels).toContain('field "quantity" of the wrong type')
    expect(labels).toContain('field "side" with an unknown enum value')
    expect(labels).toContain('an unknown field')
    for (const x of variants) expect(v.matches('t', schema, x.value), x.label).toBe(false)
  })
})
