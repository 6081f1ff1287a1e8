import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromAtoms } from '../core'
import { runMinutes, runnerContext, type RunnerContext } from './runner.test-helpers'
import { strategyUserId } from './user-ids'

// 24 hours of simulated market in one-minute steps, the scheduler on its 5-minute interval, three
// strategy accounts on different strategies, intervals and symbols. Every ledger must reconcile
// exactly (integer atoms, so to the cent and beyond).

let rc: RunnerContext
let cycles = 0
let ids: string[] = []

beforeAll(async () => {
  rc = await runnerContext({ interval: 5 })
  ids = [
    rc.r.accounts.create('demo', { name: 'flip', strategy: 'flip', symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m', initial_balance: 10_000 }),
    rc.r.accounts.create('demo', {
      name: 'sma',
      strategy: 'sma_crossover',
      params: { fast: 5, slow: 20, risk_fraction: 0.005 },
      symbols: ['BTCUSDT', 'SOLUSDT', 'XRPUSDT'],
      interval: '5m',
      initial_balance: 25_000,
    }),
    rc.r.accounts.create('bob', { name: 'short', strategy: 'flip_short', symbols: ['SOLUSDT'], interval: '15m', initial_balance: 3_000 }),
  ].map((a) => a.account_id)
  cycles = await runMinutes(rc, 24 * 60)
}, 300_000)

afterAll(async () => {
  await rc.close()
})

describe('a 24-hour accelerated run (injected clock, simulated market, three accounts)', () => {
  it('runs one cycle per interval, each complete', () => {
    expect(cycles).toBe(288)
    const st = rc.r.scheduler.stats()
    expect(st).toMatchObject({ total_executions: 288, successful_executions: 288, failed_executions: 0, partial_executions: 0, total_errors: 0 })
  })

  it('records a decision per account, symbol and cycle', () => {
    const expected = [2, 3, 1]
    ids.forEach((id, i) => {
      const owner = i === 2 ? 'bob' : 'demo'
      expect(rc.r.accounts.decisions(owner, id).total_count).toBe(288 * expected[i]!)
    })
  })

  it('trades on every account', () => {
    const ex = rc.ctx.services.execution
    for (const id of ids) {
      const st = ex.state(strategyUserId(id))
      expect(ex.queries.trades(st.account.id, { limit: 1, page: 1 }).total).toBeGreaterThan(0)
    }
    expect(ex.listRoundTrips(ex.state(strategyUserId(ids[0]!)).account.id).length).toBeGreaterThan(100)
  })

  it('every ledger reconciles to the cent: balance = initial + realized pnl − fees, from the account, its fills and its positions', () => {
    const ex = rc.ctx.services.execution
    for (const id of ids) {
      const st = ex.state(strategyUserId(id))
      const a = st.account
      // The account's own totals.
      expect(a.balance).toBe(a.initialBalance + a.realizedPnl - a.commission)
      // Every fill.
      const fills = ex.queries.trades(a.id, { limit: 1_000_000, page: 1 })
      expect(fills.rows).toHaveLength(fills.total)
      const realized = fills.rows.reduce((s, f) => s + f.realizedPnl, 0)
      const fees = fills.rows.reduce((s, f) => s + f.commission, 0)
      expect(realized).toBe(a.realizedPnl)
      expect(fees).toBe(a.commission)
      expect(a.balance).toBe(a.initialBalance + realized - fees)
      // Every position, open and closed.
      const positions = [
        ...ex.queries.listPositions(a.id, { status: 'closed', limit: 1_000_000, offset: 0 }).rows,
        ...ex.queries.listPositions(a.id, { status: 'open', limit: 1_000, offset: 0 }).rows,
      ]
      expect(positions.reduce((s, p) => s + p.realizedPnl, 0)).toBe(a.realizedPnl)
      expect(positions.reduce((s, p) => s + p.commission, 0)).toBe(a.commission)
      // In cents, as a client reads it.
      const view = rc.r.accounts.get(id === ids[2] ? 'bob' : 'demo', id)
      const cents = (x: number) => Math.round(x * 100)
      expect(cents(view.balance)).toBe(cents(view.initial_balance + view.realized_pnl - view.commission_paid))
      expect(cents(view.balance)).toBe(cents(fromAtoms(a.initialBalance + realized - fees)))
    }
  })

  it("the owners' own accounts never traded", () => {
    const ex = rc.ctx.services.execution
    for (const owner of ['demo', 'bob']) {
      const st = ex.state(owner)
      expect(ex.queries.trades(st.account.id, { limit: 1, page: 1 }).total).toBe(0)
      expect(st.account.balance).toBe(st.account.initialBalance)
    }
  })
})
