import { describe, expect, it } from 'vitest'
import { DomainError } from '../core'
import { DEFAULT_INSTRUMENTS, type Instrument } from './instruments'
import { bookSpec, buildOrderBook, MAX_BOOK_DEPTH, resolveDepth, topOfBook } from './order-book'
import { isOnStep, isOnTick } from './precision'
import type { OrderBook } from './types'

const T = Date.UTC(2024, 4, 15, 13, 27, 42, 500)
const inst = (symbol: string): Instrument => DEFAULT_INSTRUMENTS.find((i) => i.symbol === symbol)!

function expectWellFormed(book: OrderBook, instrument: Instrument, mid: number): void {
  expect(book.bids[0]![0]).toBeLessThan(mid)
  expect(book.asks[0]![0]).toBeGreaterThan(mid)
  for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]![0]).toBeLessThan(book.bids[i - 1]![0])
  for (let i = 1; i < book.asks.length; i++) expect(book.asks[i]![0]).toBeGreaterThan(book.asks[i - 1]![0])
  for (const [price, qty] of [...book.bids, ...book.asks]) {
    expect(price).toBeGreaterThan(0)
    expect(isOnTick(price, instrument.tickSize)).toBe(true)
    expect(qty).toBeGreaterThanOrEqual(instrument.minQuantity)
    expect(isOnStep(qty, instrument.lotSize)).toBe(true)
  }
}

describe('buildOrderBook', () => {
  it.each([
    ['BTCUSDT', 65000.01],
    ['ETHUSDT', 3200.37],
    ['SOLUSDT', 150.02],
    ['BNBUSDT', 580],
    ['XRPUSDT', 0.5501],
    ['ADAUSDT', 0.4499],
  ])('%s: ordered, on tick and lot, spread of a few ticks or ~1 bp', (symbol, mid) => {
    const instrument = inst(symbol)
    const book = buildOrderBook(bookSpec(instrument), mid, T, MAX_BOOK_DEPTH, '42')
    expect(book.symbol).toBe(symbol)
    expect(book.timestamp).toBe(T)
    expect(book.bids).toHaveLength(MAX_BOOK_DEPTH)
    expect(book.asks).toHaveLength(MAX_BOOK_DEPTH)
    expectWellFormed(book, instrument, mid)
    const spread = book.asks[0]![0] - book.bids[0]![0]
    const ticks = Math.round(spread / instrument.tickSize)
    expect(ticks).toBeGreaterThanOrEqual(2)
    expect(ticks <= 4 || spread / mid <= 1.5e-4).toBe(true)
  })

  it('puts topOfBook first', () => {
    for (const instrument of DEFAULT_INSTRUMENTS) {
      const mid = instrument.initialPrice
      const book = buildOrderBook(bookSpec(instrument), mid, T, 5, '42')
      const top = topOfBook(mid, bookSpec(instrument).priceGrid)
      expect([book.bids[0]![0], book.asks[0]![0]]).toEqual([top.bid, top.ask])
    }
  })

  it('is deterministic per (seed, symbol, second), and a shallow book is a prefix of a deep one', () => {
    const spec = bookSpec(inst('BTCUSDT'))
    const a = buildOrderBook(spec, 65000, T, 50, '42')
    expect(buildOrderBook(spec, 65000, T, 50, '42')).toEqual(a)
    // Same second, different millisecond: same levels.
    expect(buildOrderBook(spec, 65000, T + 400, 50, '42').bids).toEqual(a.bids)
    const shallow = buildOrderBook(spec, 65000, T, 5, '42')
    expect(shallow.bids).toEqual(a.bids.slice(0, 5))
    expect(shallow.asks).toEqual(a.asks.slice(0, 5))
    expect(buildOrderBook(spec, 65000, T + 1000, 50, '42').bids).not.toEqual(a.bids)
    expect(buildOrderBook(spec, 65000, T, 50, '43').bids).not.toEqual(a.bids)
  })

  it('is deep enough that a market buy of a few BTC walks several levels', () => {
    const spec = bookSpec(inst('BTCUSDT'))
    for (let s = 0; s < 20; s++) {
      const book = buildOrderBook(spec, 65000, T + s * 1000, 100, '42')
      let remaining = 3
      let levels = 0
      let cost = 0
      for (const [price, qty] of book.asks) {
        if (remaining <= 0) break
        const take = Math.min(qty, remaining)
        cost += take * price
        remaining -= take
        levels++
      }
      expect(remaining).toBeLessThanOrEqual(0)
      expect(levels).toBeGreaterThanOrEqual(2)
      // VWAP within 0.5 % of the touch: thin enough to walk, deep enough to fill.
      expect(cost / 3 / book.asks[0]![0] - 1).toBeLessThan(0.005)
    }
  })

  it('stops the bid side before prices reach zero', () => {
    const tiny: Instrument = { ...inst('XRPUSDT'), symbol: 'TINYUSDT', initialPrice: 0.0005 }
    const book = buildOrderBook(bookSpec(tiny), 0.0005, T, 100, '42')
    expect(book.bids.length).toBeLessThan(100)
    expect(book.asks).toHaveLength(100)
    expectWellFormed(book, tiny, 0.0005)
  })
})

describe('resolveDepth', () => {
  it('defaults to 20 and clamps to 100', () => {
    expect(resolveDepth(undefined)).toBe(20)
    expect(resolveDepth(1)).toBe(1)
    expect(resolveDepth(100)).toBe(100)
    expect(resolveDepth(5000)).toBe(100)
  })
  it.each([0, -1, 2.5, Number.NaN])('rejects %s with VALIDATION_FAILED', (depth) => {
    expect(() => resolveDepth(depth)).toThrow(DomainError)
    try {
      resolveDepth(depth)
    } catch (e) {
      expect((e as DomainError).code).toBe('VALIDATION_FAILED')
    }
  })
})
