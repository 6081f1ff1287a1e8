import { describe, expect, it } from 'vitest'
import { createRandom } from '../../core'
import { closeDatabase, openDatabase } from '../database'
import { SqliteActivityRepository } from './activity'
import { sqliteExecutionRepositories, type ExecutionRepositories } from './execution'
import type { AccountRow, FillRow, OrderRow, PositionRow } from './execution-rows'
import { memoryExecutionRepositories } from './memory-execution'

// The in-memory repositories answer every read as the SQLite ones do: the same writes go to both,
// then every read (with each filter) is compared.

const STATUSES = ['new', 'partially_filled', 'filled', 'cancelled'] as const

function order(i: number, accountId: string, r: () => number): OrderRow {
  return {
    seq: 0,
    id: `o${i}`,
    accountId,
    clientOrderId: i % 3 === 0 ? `c${i}` : null,
    symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT',
    side: i % 2 ? 'buy' : 'sell',
    type: 'limit',
    timeInForce: 'GTC',
    status: 'new',
    quantity: 10 + i,
    price: 1000 + i,
    stopPrice: null,
    triggered: false,
    filledQuantity: 0,
    filledNotional: 0,
    arrivalPrice: null,
    commission: 0,
    stopLoss: null,
    takeProfit: i % 4 === 0 ? 2000 : null,
    parentOrderId: null,
    linkType: null,
    reduceOnly: i % 5 === 0,
    rejectReason: null,
    adjustments: null,
    expiresAt: null,
    origin: null,
    createdAt: 1000 * i + Math.floor(r() * 10),
    updatedAt: 1000 * i,
    closedAt: null,
  }
}

function position(i: number, accountId: string): PositionRow {
  return {
    seq: 0,
    id: `p${i}`,
    accountId,
    symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT',
    side: i % 2 ? 'long' : 'short',
    status: 'open',
    quantity: 5,
    costBasis: 5000,
    openedQuantity: 5,
    closedQuantity: 0,
    closedCost: 0,
    exitNotional: 0,
    realizedPnl: 0,
    commission: 3,
    initialStopLoss: null,
    exitReason: null,
    openedAt: 1000 * i,
    updatedAt: 1000 * i,
    closedAt: null,
  }
}

function fill(i: number, accountId: string, r: () => number): Omit<FillRow, 'seq'> {
  return {
    id: `f${i}`,
    orderId: `o${i % 7}`,
    accountId,
    positionId: `p${i % 5}`,
    symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT',
    side: i % 2 ? 'buy' : 'sell',
    quantity: 1 + i,
    price: 1000 + i,
    notional: 1000 * (1 + i),
    commission: i,
    liquidity: i % 3 ? 'taker' : 'maker',
    realizedPnl: Math.round((r() - 0.5) * 100),
    equity: i % 2 ? 10_000 + i : null,
    createdAt: 500 * i,
  }
}

/** The same writes through a repository set. */
function fillUp(repos: ExecutionRepositories): void {
  const r = createRandom('memory-repos')
  const rnd = (): number => r.next()
  for (const [id, userId] of [
    ['a1', 'u1'],
    ['a2', 'u2'],
  ] as const) {
    const a: AccountRow = { id, userId, currency: 'USDT', initialBalance: 100, balance: 100, realizedPnl: 0, commission: 0, createdAt: 0, updatedAt: 0 }
    repos.accounts.insert(a)
    repos.accounts.insertSnapshot(id, 0, 100, 100)
  }
  const orders: OrderRow[] = []
  for (let i = 0; i < 30; i++) {
    const o = order(i, i % 4 ? 'a1' : 'a2', rnd)
    o.seq = repos.orders.insert(o)
    orders.push(o)
  }
  for (const o of orders.filter((_, i) => i % 2)) {
    o.status = STATUSES[o.seq % STATUSES.length]!
    o.filledQuantity = 3
    o.closedAt = o.status === 'filled' || o.status === 'cancelled' ? o.createdAt + 5 : null
    // A field the UPDATE does not write: it must not change in the store.
    o.symbol = 'CHANGED'
    repos.orders.update(o)
  }
  const positions: PositionRow[] = []
  for (let i = 0; i < 12; i++) {
    const p = position(i, i % 3 ? 'a1' : 'a2')
    p.seq = repos.positions.insert(p)
    positions.push(p)
  }
  for (const p of positions.filter((_, i) => i % 3 !== 1)) {
    p.status = 'closed'
    p.quantity = 0
    p.closedQuantity = p.seq % 4 ? 5 : 0
    p.exitReason = 'SIGNAL'
    // Ties in close time: ordered by seq.
    p.closedAt = 100_000 - 1000 * (p.seq % 5)
    repos.positions.update(p)
  }
  for (let i = 0; i < 40; i++) repos.fills.insert(fill(i, i % 3 ? 'a1' : 'a2', rnd))
  for (let i = 1; i < 6; i++) repos.accounts.insertSnapshot('a1', 700 * i, 100 + i, 100)
  repos.accounts.updateTotals({ id: 'a1', userId: 'u1', currency: 'USDT', initialBalance: 100, balance: 90, realizedPnl: -7, commission: 3, createdAt: 0, updatedAt: 9 })
}

/** Every read of the interfaces, with each filter. */
function reads(repos: ExecutionRepositories, activity: { accountFillAggregatesSince(a: string, s: number): unknown }): unknown {
  const out: Record<string, unknown> = {}
  for (const a of ['a1', 'a2', 'none']) {
    out[`orders ${a}`] = [
      repos.orders.list(a, { limit: 100, offset: 0 }),
      repos.orders.list(a, { limit: 4, offset: 2, status: 'open' }),
      repos.orders.list(a, { limit: 100, offset: 0, status: 'filled', symbol: 'BTCUSDT' }),
      repos.orders.list(a, { limit: 100, offset: 0, since: 5000, until: 20_000 }),
      repos.orders.byClientOrderId(a, 'c3'),
    ]
    out[`fills ${a}`] = [
      repos.fills.list(a, { limit: 5, page: 2 }),
      repos.fills.list(a, { limit: 100, page: 1, status: 'filled', symbol: 'ETHUSDT' }),
      repos.fills.list(a, { limit: 100, page: 1, since: 2000, until: 9000 }),
      repos.fills.since(a, 3000, 4),
      repos.fills.equityMarks(a),
      repos.fills.equityMarks(a, 4000),
      repos.fills.openingOrderId(a, 'p2'),
      activity.accountFillAggregatesSince(a, 1500),
    ]
    out[`positions ${a}`] = [
      repos.positions.list(a, { limit: 100, offset: 0 }),
      repos.positions.list(a, { limit: 2, offset: 1, status: 'closed', symbol: 'BTCUSDT' }),
      repos.positions.open(a),
      repos.positions.closed(a, {}),
      repos.positions.closed(a, { since: 97_000, symbol: 'ETHUSDT' }),
      repos.positions.closed(a, { since: 97_000 }),
      repos.positions.closedPage(a, { limit: 3, offset: 1 }),
      repos.positions.closedPage(a, { limit: 100, offset: 0, until: 98_000 }),
    ]
    out[`accounts ${a}`] = [repos.accounts.byId(a), repos.accounts.snapshots(a), repos.accounts.snapshots(a, 1400)]
  }
  out.byUser = repos.accounts.byUserId('u2')
  out.order = repos.orders.byId('o7')
  out.position = repos.positions.byId('p4')
  out.active = repos.orders.active()
  out.withOpen = repos.positions.accountsWithOpen().sort()
  out.countOpen = repos.positions.countOpen()
  out.owners = repos.positions.openWithOwners()
  out.realized = repos.accounts.totalRealizedNet()
  return out
}

describe('memoryExecutionRepositories', () => {
  it('answers every read as the SQLite repositories do after the same writes', () => {
    const db = openDatabase(':memory:')
    try {
      const sqlite = sqliteExecutionRepositories(db)
      const memory = memoryExecutionRepositories()
      fillUp(sqlite)
      fillUp(memory)
      expect(reads(memory, memory.activity)).toEqual(reads(sqlite, new SqliteActivityRepository(db)))
    } finally {
      closeDatabase(db)
    }
  })

  it('hands out copies: changing a row read does not change the store', () => {
    const memory = memoryExecutionRepositories()
    fillUp(memory)
    const o = memory.orders.byId('o1')!
    o.status = 'rejected'
    expect(memory.orders.byId('o1')!.status).not.toBe('rejected')
  })

  it('fillsAfter gives an account’s fills after a sequence number, oldest first', () => {
    const memory = memoryExecutionRepositories()
    fillUp(memory)
    const all = memory.fills.list('a1', { limit: 1000, page: 1 }).rows.reverse()
    expect(memory.fillsAfter('a1', 0)).toEqual(all)
    expect(memory.fillsAfter('a1', 20)).toEqual(all.filter((f) => f.seq > 20))
    expect(memory.fillsAfter('a1', 40)).toEqual([])
  })

  it('pruneMarks keeps the last mark at or before the cutoff first, and every later one', () => {
    const memory = memoryExecutionRepositories()
    fillUp(memory)
    const marks = (): { at: number; equity: number }[] =>
      [...memory.accounts.snapshots('a1'), ...memory.fills.equityMarks('a1')].sort((x, y) => x.at - y.at)
    const before = marks()
    const cutoff = 2600
    const lastAtOrBefore = before.filter((m) => m.at <= cutoff).at(-1)!
    memory.pruneMarks('a1', cutoff)
    const after = marks()
    expect(after[0]).toEqual(lastAtOrBefore)
    expect(after.filter((m) => m.at > cutoff)).toEqual(before.filter((m) => m.at > cutoff))
    // The fills themselves stay.
    expect(memory.fillsAfter('a1', 0)).toHaveLength(memory.fills.list('a1', { limit: 1000, page: 1 }).total)
  })
})
