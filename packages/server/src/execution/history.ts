import type { ClosedTrade } from '../analytics'
import type { MarketData } from '../market'
import type { ExecutionRepositories, PositionRow } from '../store'
import type { ExitReason } from './exit-reason'
import { averagePrice, fromAtoms, fromUnits, scalesOf } from './money'

/** One closed position, open → flat: the trade performance analytics consume, and its position. */
export interface RoundTrip extends ClosedTrade {
  /** Id of the (closed) position. */
  positionId: string
  /** Why it ended: the order of its last fill (see exit-reason.ts). */
  exitReason: ExitReason
}

export interface RoundTripQuery {
  symbol?: string
  /** Only round trips closed at or after this time (epoch ms). */
  since?: number
  /** Only round trips closed at or before this time (epoch ms). */
  until?: number
}

/**
 * Closed round trips of an account, oldest close first. Partial closes belong to the round trip
 * of the position they reduce; a reversal closes one round trip and opens the next.
 *
 * @example
 * const trips = listRoundTrips(repos, market, accountId, { symbol: 'BTCUSDT', since: Date.now() - 86_400_000 })
 */
export function listRoundTrips(repos: ExecutionRepositories, market: MarketData, accountId: string, q: RoundTripQuery = {}): RoundTrip[] {
  const out: RoundTrip[] = []
  for (const r of repos.positions.closed(accountId, q)) {
    const t = roundTripOf(market, r)
    if (t) out.push(t)
  }
  return out
}

/**
 * A page of an account's round trips, newest close first (what `GET /v1/round-trips` lists), and
 * how many match.
 *
 * @example
 * const { trips, total } = pageRoundTrips(repos, market, accountId, { symbol: 'BTCUSDT', limit: 50, offset: 0 })
 */
export function pageRoundTrips(
  repos: ExecutionRepositories,
  market: MarketData,
  accountId: string,
  q: RoundTripQuery & { limit: number; offset: number },
): { trips: RoundTrip[]; total: number } {
  const { rows, total } = repos.positions.closedPage(accountId, q)
  const trips: RoundTrip[] = []
  for (const r of rows) {
    const t = roundTripOf(market, r)
    if (t) trips.push(t)
  }
  return { trips, total }
}

function roundTripOf(market: MarketData, r: PositionRow): RoundTrip | undefined {
  const inst = market.instrument(r.symbol)
  if (!inst || r.closedQuantity === 0) return undefined
  const s = scalesOf(inst)
  return {
    positionId: r.id,
    symbol: r.symbol,
    side: r.side,
    quantity: fromUnits(r.closedQuantity, s.qtyScale),
    entryPrice: averagePrice(s, r.closedCost, r.closedQuantity),
    exitPrice: averagePrice(s, r.exitNotional, r.closedQuantity),
    pnl: fromAtoms(r.realizedPnl - r.commission),
    commission: fromAtoms(r.commission),
    openedAt: r.openedAt,
    closedAt: r.closedAt ?? r.updatedAt,
    // Positions closed before reasons were recorded (migration 0014) were closed by orders of the
    // account's own trading or its exits; without the order at hand they read as SIGNAL.
    exitReason: r.exitReason ?? 'SIGNAL',
  }
}

/** A mark of the account's equity (balance + unrealized PnL), quote currency. */
export interface EquityPoint {
  /** Epoch ms. */
  at: number
  equity: number
}

/**
 * Equity marks of an account, ascending: one at opening, one after every state change with fills,
 * and one a minute (at most) while positions are open.
 *
 * @example
 * const curve = equityHistory(repos, accountId, { since: Date.now() - 7 * 86_400_000 })
 */
export function equityHistory(repos: ExecutionRepositories, accountId: string, q: { since?: number } = {}): EquityPoint[] {
  return equityMarks(repos, accountId, q.since).map((m) => ({ at: m.at, equity: fromAtoms(m.equity) }))
}

/** Equity marks in atoms, ascending by time (snapshots first among equal times). */
export function equityMarks(repos: ExecutionRepositories, accountId: string, since?: number): { at: number; equity: number }[] {
  const snaps = repos.accounts.snapshots(accountId, since)
  const fills = repos.fills.equityMarks(accountId, since)
  const out: { at: number; equity: number }[] = []
  let i = 0
  let j = 0
  while (i < snaps.length || j < fills.length) {
    if (j >= fills.length || (i < snaps.length && snaps[i]!.at <= fills[j]!.at)) out.push(snaps[i++]!)
    else out.push(fills[j++]!)
  }
  return out
}
