import { describe, expect, it } from 'vitest'
import { createRandom } from '../core'
import { notionalAtoms, notionalNumber, type Scales } from './money'

const scales = (pp: number, qp: number): Scales => ({
  pricePrecision: pp,
  quantityPrecision: qp,
  priceScale: 10 ** pp,
  qtyScale: 10 ** qp,
  notionalShift: 8 - pp - qp,
})

describe('notionalNumber', () => {
  it('equals Number(notionalAtoms) for every shift, sign and size, halves included', () => {
    const r = createRandom('notional-number')
    let checked = 0
    for (let pp = 0; pp <= 8; pp++)
      for (let qp = 0; qp <= 8; qp++) {
        const s = scales(pp, qp)
        for (let k = 0; k < 300; k++) {
          // Magnitudes from tiny to past 2^53 (the BigInt path), both signs of price.
          const price = Math.round(r.next() * 10 ** Math.floor(r.next() * 12)) * (r.next() < 0.2 ? -1 : 1)
          const qty = Math.round(r.next() * 10 ** Math.floor(r.next() * 10))
          expect(notionalNumber(s, price, qty)).toBe(Number(notionalAtoms(s, price, qty)))
          checked++
        }
      }
    expect(checked).toBe(81 * 300)
  })

  it('rounds exact halves to even, as divRound does', () => {
    // notionalShift −2: divide by 100.
    const s = scales(5, 5)
    for (const [price, qty] of [
      [50, 1],
      [150, 1],
      [250, 1],
      [-50, 1],
      [-150, 1],
      [49, 1],
      [51, 1],
    ] as const)
      expect(notionalNumber(s, price, qty)).toBe(Number(notionalAtoms(s, price, qty)))
    expect(notionalNumber(s, 50, 1)).toBe(0)
    expect(notionalNumber(s, 150, 1)).toBe(2)
    expect(notionalNumber(s, 250, 1)).toBe(2)
  })

  it('never returns −0', () => {
    expect(Object.is(notionalNumber(scales(5, 5), -1, 1), 0)).toBe(true)
    expect(Object.is(notionalNumber(scales(2, 2), -0, 5), 0)).toBe(true)
  })
})
