import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computePerformance, roundPerformance, roundTo } from '../analytics'
import { DomainError, fromAtoms } from '../core'
import { runMinutes, runnerContext, type RunnerContext } from './runner.test-helpers'
import { strategyUserId } from './user-ids'

let rc: RunnerContext
beforeEach(async () => {
  rc = await runnerContext()
})
afterEach(async () => {
  await rc.close()
})

const errorOf = (fn: () => unknown): DomainError => {
  try {
    fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a DomainError')
}

describe('strategy accounts', () => {
  it('create → its own paper account with its own initial balance; list, get, patch, delete', () => {
    const a = rc.r.accounts.create('demo', { name: ' trend ', strategy: 'sma_crossover', params: { fast: 5 }, symbols: ['btcusdt', 'ETHUSDT'], interval: '5m', initial_balance: 2500 })
    expect(a).toMatchObject({
      owner_id: 'demo',
      name: 'trend',
      strategy: 'sma_crossover',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      interval: '5m',
      active: true,
      initial_balance: 2500,
      balance: 2500,
      equity: 2500,
      realized_pnl: 0,
      open_positions: 0,
    })
    expect(a.params).toMatchObject({ fast: 5, slow: 30, risk_fraction: 0.01 })
    const ex = rc.ctx.services.execution
    expect(ex.accountIdOf(strategyUserId(a.account_id))).toBe(a.paper_account_id)
    expect(a.paper_account_id).not.toBe(ex.accountIdOf('demo'))
    expect(rc.r.accounts.list('demo').map((x) => x.account_id)).toEqual([a.account_id])
    expect(rc.r.accounts.list('other')).toEqual([])
    expect(rc.r.accounts.get('demo', a.account_id)).toEqual(a)

    const p = rc.r.accounts.patch('demo', a.account_id, { name: 'renamed', params: { slow: 40 }, active: false, symbols: ['SOLUSDT'] })
    expect(p).toMatchObject({ name: 'renamed', active: false, symbols: ['SOLUSDT'] })
    expect(p.params).toMatchObject({ fast: 5, slow: 40 })

    const d = rc.r.accounts.delete('demo', a.account_id)
    expect(d.active).toBe(false)
    expect(errorOf(() => rc.r.accounts.get('demo', a.account_id)).code).toBe('NOT_FOUND')
    expect(rc.r.accounts.list('demo')).toEqual([])
  })

  it("another user's account is NOT_FOUND for every operation", () => {
    const a = rc.r.accounts.create('alice', { name: 'a', strategy: 'flip', symbols: ['BTCUSDT'] })
    const id = a.account_id
    for (const op of [
      () => rc.r.accounts.get('bob', id),
      () => rc.r.accounts.patch('bob', id, { name: 'x' }),
      () => rc.r.accounts.delete('bob', id),
      () => rc.r.accounts.positions('bob', id),
      () => rc.r.accounts.trades('bob', id),
      () => rc.r.accounts.decisions('bob', id),
      () => rc.r.accounts.get('alice', 'sa_missing'),
    ])
      expect(errorOf(op)).toMatchObject({ code: 'NOT_FOUND' })
    expect(rc.r.accounts.leaderboard('bob')).toEqual([])
  })

  it('bad input names the field: params.<key>, symbols, interval, initial_balance, name, strategy', () => {
    const base = { name: 'x', strategy: 'sma_crossover', symbols: ['BTCUSDT'] }
    const field = (input: Record<string, unknown>) => errorOf(() => rc.r.accounts.create('demo', { ...base, ...input } as never))
    expect(field({ params: { fast: 50, slow: 10 } })).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'params.fast' } })
    expect(field({ params: { fast: 'ten' } })).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'params.fast' } })
    expect(field({ params: { nonsense: 1 } })).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'params.nonsense' } })
    expect(field({ params: [] })).toMatchObject({ details: { field: 'params' } })
    expect(field({ symbols: [] })).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'symbols' } })
    expect(field({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT'] })).toMatchObject({ details: { field: 'symbols' } })
    expect(field({ symbols: ['BTCUSDT', 'NOPEUSDT'] })).toMatchObject({ code: 'INVALID_SYMBOL', details: { field: 'symbols.1' } })
    expect(field({ symbols: ['BTCUSDT', 'btcusdt'] })).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'symbols.1' } })
    expect(field({ interval: '2m' })).toMatchObject({ details: { field: 'interval' } })
    expect(field({ initial_balance: 0 })).toMatchObject({ details: { field: 'initial_balance' } })
    expect(field({ name: '' })).toMatchObject({ details: { field: 'name' } })
    expect(field({ strategy: 'nope' })).toMatchObject({ code: 'STRATEGY_NOT_FOUND', details: { field: 'strategy' } })

    const a = rc.r.accounts.create('demo', base)
    expect(errorOf(() => rc.r.accounts.patch('demo', a.account_id, { params: { slow: 2 } }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'params.slow' },
    })
    expect(rc.r.accounts.get('demo', a.account_id).params).toMatchObject({ slow: 30 })
  })

  it('a user may hold 10 accounts; the 11th → STRATEGY_ACCOUNT_LIMIT; deleting one frees a place', () => {
    const ids = Array.from({ length: 10 }, (_, i) => rc.r.accounts.create('demo', { name: `s${i}`, strategy: 'flip', symbols: ['BTCUSDT'] }).account_id)
    expect(errorOf(() => rc.r.accounts.create('demo', { name: 'one more', strategy: 'flip', symbols: ['BTCUSDT'] }))).toMatchObject({
      code: 'STRATEGY_ACCOUNT_LIMIT',
      details: { limit: 10, count: 10 },
    })
    rc.r.accounts.create('someone-else', { name: 'fine', strategy: 'flip', symbols: ['BTCUSDT'] })
    rc.r.accounts.delete('demo', ids[0]!)
    rc.r.accounts.create('demo', { name: 'now fine', strategy: 'flip', symbols: ['BTCUSDT'] })
  })
})

describe('cycles over strategy accounts', () => {
  it('decisions per account and symbol per cycle; orders through execution; isolation from the owner', async () => {
    const ex = rc.ctx.services.execution
    const own = ex.state('demo')
    const ownBalance = own.account.balance
    const busEvents: { kind: string; userId?: string }[] = []
    rc.ctx.services.events.subscribe((e) => busEvents.push({ kind: e.kind, userId: e.userId }))
    const a = rc.r.accounts.create('demo', { name: 'flip', strategy: 'flip', symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m' })

    const cycles = await runMinutes(rc, 30)
    expect(cycles).toBe(6)
    const { decisions, total_count } = rc.r.accounts.decisions('demo', a.account_id, { limit: 1000 })
    expect(total_count).toBe(12)
    expect(new Set(decisions.map((d) => d.cycle_id)).size).toBe(6)
    for (const d of decisions) {
      expect(['BUY', 'CLOSE']).toContain(d.action)
      expect(d.indicators).toMatchObject({ close: expect.any(Number) })
      expect(d.error).toBeNull()
      expect(d.order_id).toMatch(/^ord_/)
    }
    // Oldest first: BUY, CLOSE, BUY, … per symbol.
    const btc = decisions.filter((d) => d.symbol === 'BTCUSDT').reverse()
    expect(btc.map((d) => d.action)).toEqual(['BUY', 'CLOSE', 'BUY', 'CLOSE', 'BUY', 'CLOSE'])

    const trades = rc.r.accounts.trades('demo', a.account_id, { limit: 1000 })
    expect(trades.total_count).toBeGreaterThanOrEqual(12)
    expect(trades.trades.every((t) => t.account_id === a.account_id)).toBe(true)
    const view = rc.r.accounts.get('demo', a.account_id)
    expect(view.commission_paid).toBeGreaterThan(0)
    expect(rc.r.accounts.allTrades('demo', { limit: 5 }).trades).toHaveLength(5)
    expect(rc.r.accounts.positions('demo', a.account_id, { status: 'closed' }).total_count).toBe(6)

    // The owner's own account: untouched, no orders, fills or positions, no events addressed to them.
    expect(own.account.balance).toBe(ownBalance)
    expect(ex.queries.trades(own.account.id, { limit: 10, page: 1 }).total).toBe(0)
    expect(ex.queries.listPositions(own.account.id, { limit: 10, offset: 0 }).total).toBe(0)
    expect(ex.queries.listOrders(own.account.id, { limit: 10, offset: 0 }).total).toBe(0)
    // The owner's own account events: none (a strategy account's reach the owner only as strategy_event).
    expect(busEvents.filter((e) => e.userId === 'demo' && e.kind !== 'strategy_event')).toEqual([])
    expect(busEvents.filter((e) => e.kind === 'trade_update').every((e) => e.userId === strategyUserId(a.account_id))).toBe(true)
    // …they reach the owner as strategy events instead.
    const forwarded = rc.events.filter((e) => e.kind === 'strategy_event' && e.data.type === 'trade_update')
    expect(forwarded.length).toBeGreaterThan(0)
    expect(forwarded.every((e) => e.owner === 'demo' && e.data.account_id === a.account_id)).toBe(true)
    const decided = rc.events.filter((e) => e.kind === 'strategy_event' && e.data.type === 'decision')
    expect(decided).toHaveLength(12)
    // Cycle events: same id in start and complete, counts as in stats.
    const starts = rc.events.filter((e) => e.kind === 'cycle_start')
    const completes = rc.events.filter((e) => e.kind === 'cycle_complete')
    expect(starts.map((e) => e.data.cycle_id)).toEqual(completes.map((e) => e.data.cycle_id))
    expect(completes.every((e) => e.owner === null)).toBe(true)
    expect(rc.r.scheduler.stats().last_10_executions[0]).toEqual(completes.at(-1)!.data)
  })

  it('strategy instances persist across cycles and are fed only candles they have not seen', async () => {
    const { fed } = await import('./runner.test-helpers')
    fed.clear()
    rc.r.accounts.create('demo', { name: 'c', strategy: 'counter', symbols: ['BTCUSDT'], interval: '1m' })
    await runMinutes(rc, 20)
    expect(fed.size).toBe(1)
    const times = [...fed.values()][0]!
    // Warm-up (500 closed candles) then one per minute, strictly increasing, no gaps, no repeats.
    expect(times.length).toBe(500 + 15)
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_000)
    const last = times.at(-1)!
    expect(last + 60_000).toBeLessThanOrEqual(rc.ctx.clock.now())
    // A parameter change rebuilds the instance (warm-up again).
    rc.r.accounts.patch('demo', rc.r.accounts.list('demo')[0]!.account_id, { params: { risk_fraction: 0.02 } })
    await runMinutes(rc, 5)
    expect(fed.size).toBe(2)
  })

  it('a strategy that throws: its decision records the error, the cycle is partial, the others trade', async () => {
    const bad = rc.r.accounts.create('demo', { name: 'bad', strategy: 'thrower', symbols: ['BTCUSDT'], interval: '1m' })
    const good = rc.r.accounts.create('demo', { name: 'good', strategy: 'flip', symbols: ['ETHUSDT'], interval: '1m' })
    rc.r.scheduler.trigger()
    const rec = (await rc.r.scheduler.idle())!
    expect(rec).toMatchObject({ status: 'partial', accounts_processed: 2, accounts_failed: 1, orders_placed: 1 })
    expect(rec.errors).toEqual([{ account_id: bad.account_id, symbol: 'BTCUSDT', message: 'boom' }])
    const [d] = rc.r.accounts.decisions('demo', bad.account_id).decisions
    expect(d).toMatchObject({ action: 'HOLD', order_id: null, error: { code: 'STRATEGY_ERROR', message: 'boom' } })
    const [g] = rc.r.accounts.decisions('demo', good.account_id).decisions
    expect(g).toMatchObject({ action: 'BUY', error: null })
    expect(rc.r.accounts.get('demo', good.account_id).open_positions).toBe(1)
    expect(rc.r.scheduler.stats()).toMatchObject({ total_executions: 1, partial_executions: 1, total_errors: 1 })
  })

  it("an administrator's pause: entries are denied and recorded (TRADING_PAUSED), closes still go through", async () => {
    const a = rc.r.accounts.create('demo', { name: 'f', strategy: 'flip', symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m' })
    rc.r.scheduler.trigger()
    await rc.r.scheduler.idle()
    expect(rc.r.accounts.get('demo', a.account_id).open_positions).toBe(2)
    rc.ctx.services.risk.setPaused('global', true, 'maintenance')
    await runMinutes(rc, 1)
    rc.r.scheduler.trigger() // closes
    await rc.r.scheduler.idle()
    expect(rc.r.accounts.get('demo', a.account_id).open_positions).toBe(0)
    await runMinutes(rc, 1)
    rc.r.scheduler.trigger() // entries: denied
    const rec = (await rc.r.scheduler.idle())!
    expect(rec).toMatchObject({ status: 'success', orders_denied: 2, orders_placed: 0 })
    const latest = rc.r.accounts.decisions('demo', a.account_id, { limit: 2 }).decisions
    for (const d of latest) expect(d).toMatchObject({ action: 'BUY', order_id: null, error: { code: 'TRADING_PAUSED' } })
  })

  it('deleting an account closes its positions first and stops its cycles', async () => {
    const a = rc.r.accounts.create('demo', { name: 'f', strategy: 'flip', symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m' })
    rc.r.scheduler.trigger()
    await rc.r.scheduler.idle()
    expect(rc.r.accounts.get('demo', a.account_id).open_positions).toBe(2)
    rc.r.accounts.delete('demo', a.account_id)
    const st = rc.ctx.services.execution.state(strategyUserId(a.account_id))
    expect(st.positions.size).toBe(0)
    rc.r.scheduler.trigger()
    expect((await rc.r.scheduler.idle())!.accounts_processed).toBe(0)
  })

  it('an account deactivated or deleted while a cycle runs is skipped by that cycle', async () => {
    const ids = Array.from({ length: 4 }, (_, i) => rc.r.accounts.create('demo', { name: `c${i}`, strategy: 'counter', symbols: ['BTCUSDT'], interval: '1m' }).account_id)
    rc.r.scheduler.trigger()
    // The cycle starts after the trigger returns and yields between accounts.
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(rc.r.scheduler.cycleInProgress).toBe(true)
    rc.r.accounts.patch('demo', ids[2]!, { active: false })
    rc.r.accounts.delete('demo', ids[3]!)
    const rec = (await rc.r.scheduler.idle())!
    expect(rec.accounts_processed).toBe(2)
    expect(rc.r.accounts.decisions('demo', ids[2]!).total_count).toBe(0)
  })

  it('leaderboard: ranked by ROI, then pnl, then id; figures equal the analytics recomputed from each account’s round trips', async () => {
    const ex = rc.ctx.services.execution
    const ids = [
      rc.r.accounts.create('demo', { name: 'long', strategy: 'flip', symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m', initial_balance: 5000 }),
      rc.r.accounts.create('demo', { name: 'short', strategy: 'flip_short', symbols: ['SOLUSDT'], interval: '1m', initial_balance: 20_000 }),
      rc.r.accounts.create('demo', { name: 'idle', strategy: 'counter', symbols: ['BTCUSDT'], interval: '1m' }),
      rc.r.accounts.create('demo', { name: 'idle too', strategy: 'counter', symbols: ['BTCUSDT'], interval: '1m' }),
    ].map((a) => a.account_id)
    rc.r.accounts.create('bob', { name: 'bob', strategy: 'flip', symbols: ['BTCUSDT'], interval: '1m' })
    await runMinutes(rc, 120)
    const board = rc.r.accounts.leaderboard('demo')
    expect(board.map((e) => e.rank)).toEqual([1, 2, 3, 4])
    expect(new Set(board.map((e) => e.account_id))).toEqual(new Set(ids))
    for (const e of board) {
      const st = ex.state(strategyUserId(e.account_id))
      const initial = fromAtoms(st.account.initialBalance)
      const m = roundPerformance(computePerformance(ex.listRoundTrips(st.account.id), { startingEquity: initial }))
      expect(e).toMatchObject({
        total_pnl: m.total_pnl,
        total_trades: m.total_trades,
        win_rate: m.win_rate,
        sharpe_ratio: m.sharpe_ratio,
        max_drawdown: m.max_drawdown,
        roi_percentage: roundTo((m.total_pnl / initial) * 100, 4),
        initial_balance: initial,
      })
    }
    expect(board.find((e) => e.name === 'long')!.total_trades).toBeGreaterThan(10)
    for (let i = 1; i < board.length; i++) {
      const [p, q] = [board[i - 1]!, board[i]!]
      const ordered = p.roi_percentage > q.roi_percentage || (p.roi_percentage === q.roi_percentage && (p.total_pnl > q.total_pnl || (p.total_pnl === q.total_pnl && p.account_id < q.account_id)))
      expect(ordered).toBe(true)
    }
    // The two idle accounts tie on ROI and pnl (0): by id.
    const idle = board.filter((e) => e.total_trades === 0).map((e) => e.account_id)
    expect(idle).toEqual([...idle].sort())
    expect(rc.r.accounts.leaderboard(null)).toHaveLength(5)
  })
})

describe('the registry’s built-in strategies', () => {
  it('every built-in runs cycles on the simulated market without a failure; params validated by the registry', async () => {
    const { builtinCatalog } = await import('./catalog')
    const { STRATEGY_NAMES } = await import('../strategies/registry')
    const b = await runnerContext({ strategies: builtinCatalog, maxAccountsPerUser: 20 })
    try {
      for (const name of STRATEGY_NAMES)
        b.r.accounts.create('demo', { name, strategy: name, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], interval: '5m' })
      expect(errorOf(() => b.r.accounts.create('demo', { name: 'x', strategy: 'sma_crossover', params: { fast: 30, slow: 10 }, symbols: ['BTCUSDT'] }))).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'params.fast' },
      })
      expect(errorOf(() => b.r.accounts.create('demo', { name: 'x', strategy: 'nope', symbols: ['BTCUSDT'] }))).toMatchObject({ code: 'STRATEGY_NOT_FOUND' })
      await runMinutes(b, 60)
      const st = b.r.scheduler.stats()
      expect(st.total_executions).toBe(12)
      expect(st.successful_executions).toBe(12)
      for (const a of b.r.accounts.list('demo')) {
        const { decisions, total_count } = b.r.accounts.decisions('demo', a.account_id, { limit: 1000 })
        expect(total_count).toBe(36)
        expect(decisions.every((d) => d.error === null || d.error.code !== 'STRATEGY_ERROR')).toBe(true)
      }
    } finally {
      await b.close()
    }
  })
})
