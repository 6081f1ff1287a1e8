/** What risk events are about: each limit's usage now, and the subject a denial counts against. Pure. */
import { drawdown, fromAtoms, roundHalfUp } from '../core'
import { usage } from './calculations'
import { positionLimit } from './limits'
import type { EffectiveLimits, Portfolio } from './types'

/** The subject of trading-pause events. */
export const PAUSE_SUBJECT = 'paused'

/** One limit's usage, and the warning it raises from 80 %. */
export interface Subject {
  /** Resolution key: events of one subject resolve together. */
  key: string
  /** The warning's event type. */
  type: string
  symbol: string | null
  usage: number
  message: string
  details: Record<string, unknown>
}

/** Every limit's usage: each open position's, then exposure, daily loss and drawdown. */
export function subjects(p: Portfolio, l: EffectiveLimits): Subject[] {
  const out: Subject[] = []
  for (const pos of p.positions) {
    const limitUnits = positionLimit(l, pos.symbol)
    const used = pos.lots / pos.qtyScale
    out.push({
      key: positionSubject(pos.symbol),
      type: 'position_limit_warning',
      symbol: pos.symbol,
      usage: usage(used, limitUnits),
      message: `Position limit approaching for ${pos.symbol}`,
      details: { used, limit: limitUnits },
    })
  }
  const dailyLoss = fromAtoms(Math.max(0, p.dayStartEquity - p.equity))
  const dd = drawdown(p.peakEquity, p.equity)
  out.push(
    {
      key: 'exposure',
      type: 'exposure_warning',
      symbol: null,
      usage: usage(p.exposure, Math.max(0, p.equity)),
      message: 'Total exposure approaching the account equity',
      details: { used: fromAtoms(p.exposure), limit: fromAtoms(p.equity) },
    },
    {
      key: 'daily_loss',
      type: 'daily_loss_warning',
      symbol: null,
      usage: usage(dailyLoss, l.maxDailyLoss),
      message: 'Daily loss approaching its limit',
      details: { used: roundHalfUp(dailyLoss), limit: l.maxDailyLoss },
    },
    {
      key: 'drawdown',
      type: 'drawdown_warning',
      symbol: null,
      usage: usage(dd, l.maxDrawdown),
      message: 'Drawdown approaching its limit',
      details: { used: roundHalfUp(dd, 6), limit: l.maxDrawdown },
    },
  )
  return out
}

const POSITION_PREFIX = 'position:'

const positionSubject = (symbol: string | undefined): string => `${POSITION_PREFIX}${symbol}`

/** Whether a subject is a position's (it has no usage any more once the position is closed). */
export const isPositionSubject = (key: string): boolean => key.startsWith(POSITION_PREFIX)

/** Subject key of a denial: resolution follows the usage of what was denied. */
export function denialSubject(code: string, symbol: string | undefined): string {
  switch (code) {
    case 'POSITION_LIMIT_EXCEEDED':
      return positionSubject(symbol)
    case 'DAILY_LOSS_LIMIT_EXCEEDED':
      return 'daily_loss'
    case 'MAX_DRAWDOWN_EXCEEDED':
      return 'drawdown'
    case 'TRADING_PAUSED':
      return PAUSE_SUBJECT
    default:
      return 'exposure'
  }
}
