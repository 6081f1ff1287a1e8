import { describe, expect, it } from 'vitest'
import { IllegalTransitionError, ORDER_STATUSES, TERMINAL, TRANSITIONS, canTransition, transition, type OrderStatus } from './order-state'

// The allowed transitions, written out independently of the table: any difference is a bug.
const ALLOWED = new Set([
  'pending_new→new',
  'pending_new→rejected',
  'new→partially_filled',
  'new→filled',
  'new→cancelled',
  'new→expired',
  'new→rejected',
  'partially_filled→partially_filled',
  'partially_filled→filled',
  'partially_filled→cancelled',
  'partially_filled→expired',
])

describe('order transition table', () => {
  it('lists every status, and the contract enum in the same order', async () => {
    const contract = (await import('../generated/openapi.json', { with: { type: 'json' } })).default as {
      components: { schemas: { OrderStatus: { enum: string[] } } }
    }
    expect(Object.keys(TRANSITIONS)).toEqual([...ORDER_STATUSES])
    expect(contract.components.schemas.OrderStatus.enum).toEqual([...ORDER_STATUSES])
  })

  for (const from of ORDER_STATUSES)
    for (const to of ORDER_STATUSES) {
      const allowed = ALLOWED.has(`${from}→${to}`)
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'a bug'}`, () => {
        expect(canTransition(from, to)).toBe(allowed)
        if (allowed) expect(transition('ord_1', from, to)).toBe(to)
        else expect(() => transition('ord_1', from, to)).toThrow(IllegalTransitionError)
      })
    }

  it('terminal states have no way out; every other state reaches one', () => {
    for (const s of TERMINAL) expect(TRANSITIONS[s]).toEqual([])
    const reachesTerminal = (s: OrderStatus, seen = new Set<OrderStatus>()): boolean =>
      TERMINAL.has(s) || TRANSITIONS[s].some((n) => !seen.has(n) && reachesTerminal(n, new Set([...seen, s])))
    for (const s of ORDER_STATUSES) expect(reachesTerminal(s)).toBe(true)
  })

  it('an illegal transition names the order and both states', () => {
    expect(() => transition('ord_42', 'filled', 'cancelled')).toThrow('illegal order transition filled → cancelled (order ord_42)')
  })
})
