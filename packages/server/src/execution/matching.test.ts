import { describe, expect, it } from 'vitest'
import { liquidity, stopTriggered, walkBook } from './matching'

const asks = [
  { price: 100, qty: 2 },
  { price: 101, qty: 3 },
  { price: 103, qty: 10 },
]

describe('book walking', () => {
  it('takes level by level, best first', () => {
    expect(walkBook(asks, 4, 'buy')).toEqual([
      { price: 100, qty: 2 },
      { price: 101, qty: 2 },
    ])
  })
  it('stops at the limit price', () => {
    expect(walkBook(asks, 20, 'buy', 101)).toEqual([
      { price: 100, qty: 2 },
      { price: 101, qty: 3 },
    ])
    expect(liquidity(asks, 'buy', 101)).toBe(5)
    expect(liquidity(asks, 'buy', 99)).toBe(0)
  })
  it('sells walk down the bids', () => {
    const bids = [
      { price: 99, qty: 1 },
      { price: 98, qty: 1 },
    ]
    expect(walkBook(bids, 5, 'sell', 98.5)).toEqual([{ price: 99, qty: 1 }])
  })
  it('stops trigger on the last price: buy at or above, sell at or below', () => {
    expect([stopTriggered('buy', 100, 99), stopTriggered('buy', 100, 100), stopTriggered('sell', 100, 101), stopTriggered('sell', 100, 100)]).toEqual([
      false,
      true,
      false,
      true,
    ])
  })
})
