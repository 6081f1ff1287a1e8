import type { ReferenceIndicator } from '../csv/write-result'
import { bosChoch } from '../indicators/bos-choch'
import { fvg } from '../indicators/fvg'
import { liquidity } from '../indicators/liquidity'
import { ob } from '../indicators/ob'
import { previousHighLow } from '../indicators/previous-high-low'
import { retracements } from '../indicators/retracements'
import { sessions } from '../indicators/sessions'
import { swingHighsLows } from '../indicators/swing-highs-lows'
import type { Candles } from '../types'

/** Every indicator of the reference library, by its Python name, in the reference's order. */
export const REFERENCE_INDICATORS: readonly ReferenceIndicator[] = [
  'swing_highs_lows',
  'fvg',
  'bos_choch',
  'ob',
  'liquidity',
  'previous_high_low',
  'sessions',
  'retracements',
]

/** Parameters of {@link runIndicator}; each indicator reads only its own. */
export interface IndicatorParams {
  /** Swing length for swing_highs_lows and the swing frame of bos_choch/ob/liquidity/retracements. Default 5. */
  swingLength?: number
  closeBreak?: boolean
  closeMitigation?: boolean
  joinConsecutive?: boolean
  rangePercent?: number
  timeFrame?: string
  session?: string
  startTime?: string
  endTime?: string
  timeZone?: string
}

/**
 * Run one indicator by its reference name with reference defaults (swing length 5, as in the
 * reference vectors). The result object's columns are what `writeIndicatorCsv` expects.
 *
 * @example
 * const csv = writeIndicatorCsv('ob', runIndicator('ob', candles, { closeMitigation: false }))
 */
export function runIndicator(name: ReferenceIndicator, candles: Candles, params: IndicatorParams = {}): object {
  const swings = () => swingHighsLows(candles, { swingLength: params.swingLength ?? 5 })
  switch (name) {
    case 'swing_highs_lows':
      return swings()
    case 'fvg':
      return fvg(candles, { joinConsecutive: params.joinConsecutive })
    case 'bos_choch':
      return bosChoch(candles, swings(), { closeBreak: params.closeBreak })
    case 'ob':
      return ob(candles, swings(), { closeMitigation: params.closeMitigation })
    case 'liquidity':
      return liquidity(candles, swings(), { rangePercent: params.rangePercent })
    case 'previous_high_low':
      return previousHighLow(candles, { timeFrame: params.timeFrame })
    case 'sessions':
      if (params.session === undefined) throw new RangeError('sessions needs a session name')
      return sessions(candles, {
        session: params.session,
        startTime: params.startTime,
        endTime: params.endTime,
        timeZone: params.timeZone,
      })
    case 'retracements':
      return retracements(candles, swings())
    default:
      throw new RangeError(`unknown indicator "${String(name)}"`)
  }
}
