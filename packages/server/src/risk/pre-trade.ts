import { DomainError, drawdown, fromAtoms, isoOrNull, roundHalfUp } from '../core'
import { positionLimit } from './limits'
import { Protections } from './protections'
import type { EffectiveLimits, OrderImpact, Portfolio, RiskDenial, RiskLockRow, TradingPause } from './types'

/** What the pre-trade checks need besides the portfolio and the order. */
export interface PreTradeContext {
  /** The pause in force for the account, if any. */
  pause: TradingPause | undefined
  /** Whether the limit checks run (`trading.risk_enabled`). */
  riskEnabled: boolean
  /** The account's limits; needed only when `riskEnabled` and no pause (the caller may skip the lookup otherwise). */
  limits: EffectiveLimits | undefined
  /** How old the symbol's last price is, when it is older than allowed (MARKET_STALE_MS); undefined: fresh. */
  stalePrice?: StalePrice | undefined
  /** The protection lock over the order's symbol, if one is active. */
  lock?: RiskLockRow | undefined
}

/** A price older than allowed: its age and time (ms) and the largest age accepted. */
export interface StalePrice {
  ageMs: number
  maxAgeMs: number
  lastPriceAt: number
}

/**
 * Every pre-trade check of an exposure-increasing order, in order: TRADING_PAUSED; STALE_PRICE; RISK_LOCKED; with risk
 * enabled POSITION_LIMIT_EXCEEDED, DAILY_LOSS_LIMIT_EXCEEDED and MAX_DRAWDOWN_EXCEEDED; then
 * INSUFFICIENT_BALANCE (always: it is the ledger's own constraint). Orders that only reduce a
 * position are never blocked, not even by a pause, so a trader can always get flat. Pure.
 */
export function preTrade(p: Portfolio, o: OrderImpact, { pause, riskEnabled, limits, stalePrice, lock }: PreTradeContext): RiskDenial | undefined {
  if (!o.increasesExposure) return undefined
  if (pause)
    return DomainError.denial(
      'TRADING_PAUSED',
      pause.scope === 'global' ? 'Trading is paused' : pause.scope === 'market' ? `Trading is paused for ${pause.symbol}` : 'Trading is paused for this account',
      pause.scope === 'market'
        ? { scope: pause.scope, symbol: pause.symbol, reason: pause.reason, resume_at: isoOrNull(pause.resumeAt) }
        : { scope: pause.scope, reason: pause.reason, resume_at: isoOrNull(pause.resumeAt) },
    )
  // Sizing and margin on an old price would be guesses: new exposure waits for a fresh one.
  if (stalePrice)
    return DomainError.denial('STALE_PRICE', `The last price of ${o.symbol} is ${Math.round(stalePrice.ageMs / 1000)} s old: orders that add exposure wait for a fresh price`, {
      symbol: o.symbol,
      age_ms: stalePrice.ageMs,
      max_age_ms: stalePrice.maxAgeMs,
      last_price_at: new Date(stalePrice.lastPriceAt).toISOString(),
    })
  if (lock) return Protections.denial(lock)
  if (riskEnabled && limits) {
    const denial = limitDenial(p, o, limits)
    if (denial) return denial
  }
  const available = p.equity - p.exposure
  if (o.requiredMargin > available)
    return DomainError.denial('INSUFFICIENT_BALANCE', 'Insufficient balance to execute trade', {
      required: roundHalfUp(fromAtoms(o.requiredMargin), 2),
      available: roundHalfUp(fromAtoms(Math.max(0, available)), 2),
    })
  return undefined
}

/** POSITION_LIMIT_EXCEEDED, DAILY_LOSS_LIMIT_EXCEEDED or MAX_DRAWDOWN_EXCEEDED, the first that applies. */
function limitDenial(p: Portfolio, o: OrderImpact, l: EffectiveLimits): RiskDenial | undefined {
  const limit = Math.floor(positionLimit(l, o.symbol) * o.qtyScale + 1e-9)
  if (Math.abs(o.resultingLots) > limit) {
    const base = (lots: number): number => lots / o.qtyScale
    return DomainError.denial('POSITION_LIMIT_EXCEEDED', `Position limit exceeded for ${o.symbol}`, {
      symbol: o.symbol,
      limit: base(limit),
      current: base(Math.abs(o.currentLots)),
      requested: base(Math.abs(o.resultingLots - o.currentLots)),
      resulting: base(Math.abs(o.resultingLots)),
    })
  }
  const dailyLoss = Math.max(0, p.dayStartEquity - p.equity)
  if (fromAtoms(dailyLoss) >= l.maxDailyLoss)
    return DomainError.denial('DAILY_LOSS_LIMIT_EXCEEDED', 'Daily loss limit reached: only orders that reduce positions are accepted today', {
      daily_loss: roundHalfUp(fromAtoms(dailyLoss)),
      limit: l.maxDailyLoss,
    })
  const dd = drawdown(p.peakEquity, p.equity)
  if (dd >= l.maxDrawdown)
    return DomainError.denial('MAX_DRAWDOWN_EXCEEDED', 'Maximum drawdown reached: only orders that reduce positions are accepted', {
      drawdown: roundHalfUp(dd, 6),
      limit: l.maxDrawdown,
      peak_equity: fromAtoms(p.peakEquity),
      equity: fromAtoms(p.equity),
    })
  return undefined
}
