import { candleCount } from '../internal/validate'
import type { Candles } from '../types'
import { compareZoneEvents, compareZones } from './order'
import { checkBand, premiumDiscount } from './premium-discount'
import { causalBreaks } from './structure'
import { causalSwings } from './swings'
import { aggregateClosed, htfColumns } from './timeframe'
import type { CausalEvents, CausalOptions, CausalResult, HigherTimeframeResult } from './types'
import { causalGaps, causalOrderBlocks } from './zones'

/** Swings, breaks, zones and zone events of `candles`, every `confirmedAt` a row of `candles`. */
function events(candles: Candles, swingLength: number, options: CausalOptions): CausalEvents {
  const swings = causalSwings(candles, swingLength)
  const breaks = causalBreaks(candles, swings, options.closeBreak ?? true)
  const blocks = causalOrderBlocks(candles, breaks, options.closeMitigation ?? false)
  const gaps = causalGaps(candles)
  return {
    swings,
    breaks,
    zones: [...blocks.zones, ...gaps.zones].sort(compareZones),
    zoneEvents: [...blocks.zoneEvents, ...gaps.zoneEvents].sort(compareZoneEvents),
  }
}

/**
 * The causal SMC analysis of a whole series (batch): swings, structure breaks, order blocks,
 * breaker blocks and fair value gaps with their lifecycle, premium / discount per candle and,
 * optionally, the same on a higher timeframe aggregated from these candles. Every record carries
 * `confirmedAt`, the row at which it became known; it only depends on rows ≤ confirmedAt, so the
 * records with `confirmedAt ≤ t` are exactly what this function returns for the first t+1 candles,
 * and what `createSmcStream({ mode: 'causal' })` emitted up to candle t. No look-ahead, no repaint.
 *
 * @example
 * const r = smcCausal(candles, { swingLength: 10, higherTimeframe: { timeFrame: '1h', candleMs: 300_000 } })
 * for (const z of r.zones) if (z.kind === 'ob') console.log(z.id, z.direction, z.bottom, z.top, 'known at', z.confirmedAt)
 */
export function smcCausal(candles: Candles, options: CausalOptions = {}): CausalResult {
  candleCount(candles)
  const swingLength = options.swingLength ?? 50
  const band = checkBand(options.equilibriumBand ?? 0.05)
  const base = events(candles, swingLength, options)
  const result: CausalResult = { ...base, premiumDiscount: premiumDiscount(candles.close, base.swings, band) }
  const htf = options.higherTimeframe
  if (htf) {
    const { periodMs, candles: bars } = aggregateClosed(candles, htf)
    const e = events(htfColumns(bars), htf.swingLength ?? swingLength, options)
    // Higher-timeframe rows become known when their candle closes: stamp the input row.
    const closedAt = (k: number) => bars[k]!.closedAt
    for (const s of e.swings) s.confirmedAt = closedAt(s.confirmedAt)
    for (const b of e.breaks) b.confirmedAt = closedAt(b.confirmedAt)
    for (const z of e.zones) z.confirmedAt = closedAt(z.confirmedAt)
    for (const z of e.zoneEvents) z.confirmedAt = closedAt(z.confirmedAt)
    // Two candles can close on one input row: order their records as the stream does, by input row.
    e.zones.sort(compareZones)
    e.zoneEvents.sort(compareZoneEvents)
    const out: HigherTimeframeResult = { periodMs, candles: bars, ...e, premiumDiscount: premiumDiscount(candles.close, e.swings, band) }
    result.higherTimeframe = out
  }
  return result
}
