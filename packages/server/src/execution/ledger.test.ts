import { describe, expect, it } from 'vitest'
import { createRandom } from '../core'
import { bookExecution } from './ledger'
import { divRound, feeAtoms, notionalAtoms, scalesOf, share, toUnits } from './money'
import type { Position, PositionSide } from './types'
import { DEFAULT_INSTRUMENTS } from '../market'

const btc = scalesOf(DEFAULT_INSTRUMENTS[0]!) // ticks of 0.01, lots of 0.00001
let n = 0
const open = (side: PositionSide, quantity: number, cost: bigint, commission: bigint): Position => ({
  seq: 0,
  id: `pos_${++n}`,
  accountId: 'acc',
  symbol: 'BTCUSDT',
  side,
  status: 'open',
  quantity,
  costBasis: Number(cost),
  openedQuantity: quantity,
  closedQuantity: 0,
  closedCost: 0,
  exitNotional: 0,
  realizedPnl: 0,
  commission: Number(commission),
  initialStopLoss: null,
  exitReason: null,
  openedAt: 0,
  updatedAt: 0,
  closedAt: null,
})
const exec = (side: 'buy' | 'sell', price: number, qty: number, feePpm = 1000) => {
  const notional = notionalAtoms(btc, Math.round(price * 100), Math.round(qty * 1e5))
  return { side, qty: Math.round(qty * 1e5), notional, commission: feeAtoms(notional, feePpm) }
}

describe('money', () => {
  it('notional is exact: 0.1 BTC at 45000.01 is 4500.001 USDT', () => {
    expect(notionalAtoms(btc, 4_500_001, 10_000)).toBe(450_000_100_000n)
  })
  it('rounds half to even, and only where asked', () => {
    expect([divRound(5n, 2n), divRound(7n, 2n), divRound(-5n, 2n), divRound(-7n, 2n), divRound(10n, 3n)]).toEqual([2n, 4n, -2n, -4n, 3n])
    expect(feeAtoms(1_000_000_500n, 1000)).toBe(1_000_000n) // 1,000,000.5 → even
    expect(share(100n, 1, 3)).toBe(33n)
    expect(share(100n, 3, 3)).toBe(100n)
  })
  it('toUnits accepts float noise but not off-grid values', () => {
    expect(toUnits(0.1 + 0.2, 10)).toBe(3)
    expect(toUnits(45000.01, 100)).toBe(4_500_001)
    expect(toUnits(0.000015, 1e5)).toBeUndefined()
  })
})

describe('netting positions', () => {
  it('adds at the average price, partially closes at that average, reverses through zero', () => {
    const b1 = bookExecution(undefined, exec('buy', 45_000, 0.1), open, 1)
    const pos = b1.open!
    bookExecution(pos, exec('buy', 46_000, 0.3), open, 2)
    expect(pos.quantity).toBe(40_000)
    expect(pos.costBasis / pos.quantity / 1e3).toBeCloseTo(45_750, 6) // (4500 + 13800) / 0.4
    const partial = bookExecution(pos, exec('sell', 47_000, 0.1), open, 3)
    expect(partial.realized).toBe(125_00000000n) // (47000 − 45750) × 0.1
    expect(pos.quantity).toBe(30_000)
    const reverse = bookExecution(pos, exec('sell', 44_000, 0.5), open, 4)
    expect(reverse.closed).toBe(pos)
    expect(pos).toMatchObject({ status: 'closed', quantity: 0, closedQuantity: 40_000, closedAt: 4 })
    expect(reverse.realized).toBe(-525_00000000n) // (44000 − 45750) × 0.3
    expect(reverse.open).toMatchObject({ side: 'short', quantity: 20_000, costBasis: 880_000_000_000 })
    expect(reverse.opened).toBe(true)
  })

  it('random sequences reconcile exactly: initial + Σ realized − Σ fees = balance; positions = net fills', () => {
    const random = createRandom('ledger')
    for (let run = 0; run < 50; run++) {
      let pos: Position | undefined
      const initial = 10_000_00000000n
      let balance = initial
      let realized = 0n
      let fees = 0n
      let net = 0
      const closed: Position[] = []
      for (let i = 0; i < 200; i++) {
        const side = random.next() < 0.5 ? 'buy' : 'sell'
        const lots = 1 + Math.floor(random.next() * 5000)
        const price = 6_000_000 + Math.floor(random.next() * 100_000) // ticks
        const notional = notionalAtoms(btc, price, lots)
        const commission = feeAtoms(notional, random.next() < 0.5 ? 1000 : 200)
        const b = bookExecution(pos, { side, qty: lots, notional, commission }, open, i)
        if (b.closed) closed.push(b.closed)
        pos = b.open ?? (b.closed ? undefined : pos)
        balance += b.realized - commission
        realized += b.realized
        fees += commission
        net += side === 'buy' ? lots : -lots
      }
      expect(balance).toBe(initial + realized - fees)
      const held = pos ? (pos.side === 'long' ? pos.quantity : -pos.quantity) : 0
      expect(held).toBe(net)
      // Every position's realized PnL and commissions add up to the account's.
      const all = pos ? [...closed, pos] : closed
      expect(all.reduce((s, p) => s + BigInt(p.realizedPnl), 0n)).toBe(realized)
      expect(all.reduce((s, p) => s + BigInt(p.commission), 0n)).toBe(fees)
      for (const p of closed) expect(p.closedQuantity).toBe(p.openedQuantity)
    }
  })
})
