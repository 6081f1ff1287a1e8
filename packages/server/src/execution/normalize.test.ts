import { describe, expect, it } from 'vitest'
import { DEFAULT_INSTRUMENTS } from '../market'
import { normalizeOrder } from './normalize'
import type { OrderRequest } from './types'

// BTCUSDT: tick 0.01, lot 0.00001 (also the minimum); XRPUSDT: tick 0.0001, lot 0.1.
const btc = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!
const xrp = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'XRPUSDT')!
const norm = (req: Partial<OrderRequest>, inst = btc) => {
  const r = normalizeOrder({ symbol: inst.symbol, side: 'buy', type: 'market', quantity: 0.1, ...req } as OrderRequest, inst)
  if ('code' in r) throw r
  return r
}

describe('order normalisation (never worse than asked)', () => {
  it("truncates the quantity toward zero, never up (the seed bot's sizing)", () => {
    const r = norm({ quantity: 0.0031361470426447004 })
    expect(r.req.quantity).toBe(0.00313)
    expect(r.adjustments).toEqual([{ field: 'quantity', requested: 0.0031361470426447004, applied: 0.00313 }])
    expect(norm({ quantity: 0.0099999 }).req.quantity).toBe(0.00999)
    expect(norm({ quantity: 12.39 }, xrp).req.quantity).toBe(12.3)
  })

  it('a quantity on the lot size, float noise included, is left alone', () => {
    expect(norm({ quantity: 0.1 + 0.2 }, xrp).req.quantity).toBe(0.3)
    expect(norm({ quantity: 0.00313 }).adjustments).toEqual([])
  })

  it('a quantity that truncates below the minimum is INVALID_ORDER_SIZE "below the minimum"', () => {
    const r = normalizeOrder({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.0000099 }, btc)
    expect(r).toMatchObject({ code: 'INVALID_ORDER_SIZE', details: { field: 'quantity', min_quantity: 0.00001 } })
    expect((r as Error).message).toBe('quantity 0.0000099 is below the minimum 0.00001')
  })

  it.each([
    // [side, type, field, asked, applied]
    ['buy', 'limit', 'price', 64999.999, 64999.99],
    ['sell', 'limit', 'price', 64999.991, 65000],
    ['buy', 'stop', 'stopPrice', 66000.019, 66000.01],
    ['sell', 'stop', 'stopPrice', 63000.011, 63000.02],
    ['buy', 'stop_limit', 'price', 66100.005, 66100],
    ['sell', 'stop_limit', 'stopPrice', 63000.001, 63000.01],
  ] as const)('a %s %s rounds its %s %d to %d', (side, type, key, asked, applied) => {
    const r = norm({ side, type, [key]: asked })
    expect(r.req[key]).toBe(applied)
    expect(r.adjustments).toEqual([{ field: key === 'stopPrice' ? 'stop_price' : 'price', requested: asked, applied }])
  })

  it("a stop loss rounds toward the entry, a take profit away from it (the seed's price * 0.98 / * 1.06)", () => {
    const price = 63772.5196
    const buy = norm({ side: 'buy', stopLoss: price * 0.98, takeProfit: price * 1.06 })
    expect(buy.req.stopLoss).toBe(62497.07) // 62497.069208 up, toward a long's entry
    expect(buy.req.takeProfit).toBe(67598.88) // 67598.870776 up, away from it
    const sell = norm({ side: 'sell', stopLoss: price * 1.02, takeProfit: price * 0.94 })
    expect(sell.req.stopLoss).toBe(65047.96) // 65047.969992 down, toward a short's entry
    expect(sell.req.takeProfit).toBe(59946.16) // 59946.168 down, away from it
  })

  it('XRP ticks of 0.0001 round the same way', () => {
    expect(norm({ side: 'buy', type: 'limit', price: 0.54321 }, xrp).req.price).toBe(0.5432)
    expect(norm({ side: 'sell', type: 'limit', price: 0.54321 }, xrp).req.price).toBe(0.5433)
  })

  it('values that are not positive numbers are left for validation to name', () => {
    expect(norm({ type: 'limit', price: -1 }).req.price).toBe(-1)
    expect(norm({ type: 'limit', price: 0.001 }).req.price).toBe(0.001) // would round to 0
    expect(norm({ price: null }).req.price).toBeNull()
  })
})
