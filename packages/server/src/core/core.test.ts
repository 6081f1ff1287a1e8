import { describe, expect, it } from 'vitest'
import { drawdown, DrawdownTracker } from './drawdown'
import { idFactory } from './ids'
import { fromAtoms, roundHalfUp, toAtoms } from './money'

describe('core helpers', () => {
  it('drawdown: fraction of the peak, never negative, 0 without a positive peak', () => {
    expect(drawdown(120, 90)).toBe(0.25)
    expect(drawdown(100, 130)).toBe(0)
    expect(drawdown(0, -5)).toBe(0)
    const t = new DrawdownTracker()
    for (const e of [100, 120, 90, 130, 117]) t.note(e)
    expect(t.worst).toBe(0.25)
    expect(t.peak).toBe(130)
  })

  it('ids: one session prefix and a counter; two factories never collide', () => {
    const a = idFactory('s1')
    expect([a('ord'), a('pos'), a('ord')]).toEqual(['ord_s11', 'pos_s12', 'ord_s13'])
    const [x, y] = [idFactory(), idFactory()]
    expect(x('ord')).not.toBe(y('ord'))
  })

  it('money: atoms round-trip and presentation rounding', () => {
    expect(toAtoms(1.5)).toBe(150_000_000)
    expect(fromAtoms(toAtoms(0.1 + 0.2))).toBe(0.3)
    expect(roundHalfUp(0.123456789)).toBe(0.12345679)
    expect(roundHalfUp(2.345, 2)).toBe(2.35)
  })
})
