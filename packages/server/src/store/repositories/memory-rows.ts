import type { AccountRow, FillRow, OrderRow, PositionRow } from './execution-rows'

/*
 * Stored copies of rows for the in-memory repositories: exactly the table's columns, in its order,
 * nullable ones missing null (as SQLite returns them), so a caller's object never aliases a stored row.
 * Written out column by column rather than looped over the table's columns: a backtest copies a row
 * for every order, fill and position, and an object built key by key in a loop cost ~0.7 µs a row
 * (and a dictionary-mode object for the collector) against a few ns for a literal. The return types
 * keep these in step with the schema: a column added there and missing here does not compile.
 */

export const orderRow = (s: Omit<OrderRow, 'seq'>, seq: number): OrderRow => ({
  seq,
  id: s.id,
  accountId: s.accountId,
  clientOrderId: s.clientOrderId ?? null,
  symbol: s.symbol,
  side: s.side,
  type: s.type,
  timeInForce: s.timeInForce,
  status: s.status,
  quantity: s.quantity,
  price: s.price ?? null,
  stopPrice: s.stopPrice ?? null,
  triggered: s.triggered,
  filledQuantity: s.filledQuantity,
  filledNotional: s.filledNotional,
  arrivalPrice: s.arrivalPrice ?? null,
  commission: s.commission,
  stopLoss: s.stopLoss ?? null,
  takeProfit: s.takeProfit ?? null,
  parentOrderId: s.parentOrderId ?? null,
  linkType: s.linkType ?? null,
  reduceOnly: s.reduceOnly,
  rejectReason: s.rejectReason ?? null,
  adjustments: s.adjustments ?? null,
  expiresAt: s.expiresAt ?? null,
  origin: s.origin ?? null,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  closedAt: s.closedAt ?? null,
})

export const fillRow = (s: Omit<FillRow, 'seq'>, seq: number): FillRow => ({
  seq,
  id: s.id,
  orderId: s.orderId,
  accountId: s.accountId,
  positionId: s.positionId,
  symbol: s.symbol,
  side: s.side,
  quantity: s.quantity,
  price: s.price,
  notional: s.notional,
  commission: s.commission,
  liquidity: s.liquidity,
  realizedPnl: s.realizedPnl,
  equity: s.equity ?? null,
  createdAt: s.createdAt,
})

export const positionRow = (s: Omit<PositionRow, 'seq'>, seq: number): PositionRow => ({
  seq,
  id: s.id,
  accountId: s.accountId,
  symbol: s.symbol,
  side: s.side,
  status: s.status,
  quantity: s.quantity,
  costBasis: s.costBasis,
  openedQuantity: s.openedQuantity,
  closedQuantity: s.closedQuantity,
  closedCost: s.closedCost,
  exitNotional: s.exitNotional,
  realizedPnl: s.realizedPnl,
  commission: s.commission,
  initialStopLoss: s.initialStopLoss ?? null,
  exitReason: s.exitReason ?? null,
  openedAt: s.openedAt,
  updatedAt: s.updatedAt,
  closedAt: s.closedAt ?? null,
})

export const accountRow = (s: AccountRow): AccountRow => ({
  id: s.id,
  userId: s.userId,
  currency: s.currency,
  initialBalance: s.initialBalance,
  balance: s.balance,
  realizedPnl: s.realizedPnl,
  commission: s.commission,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
})
