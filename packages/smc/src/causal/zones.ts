import { NextCrossing } from '../internal/next-crossing'
import { candleCount } from '../internal/validate'
import type { Candles } from '../types'
import { compareZoneEvents, compareZones } from './order'
import type { CausalBreak, CausalZone, CausalZoneEvent, Direction, ZoneKind } from './types'

/** Zones with their lifecycle events, both in the shared order (see order.ts). */
export interface CausalZones {
  zones: CausalZone[]
  zoneEvents: CausalZoneEvent[]
}

/**
 * The order block candle of a break at row t of the swing at row s: the last candle with the lowest
 * low (bullish) / highest high (bearish) strictly between them, or the swing candle itself if none.
 */
export function obCandleIndex(direction: Direction, s: number, t: number, H: ArrayLike<number>, L: ArrayLike<number>): number {
  let c = s
  if (direction === 1) {
    let best = Infinity
    for (let j = s + 1; j < t; j++) if (L[j]! <= best) best = L[(c = j)]!
  } else {
    let best = -Infinity
    for (let j = s + 1; j < t; j++) if (H[j]! >= best) best = H[(c = j)]!
  }
  return c
}

const at = (j: number): number => (j < 0 ? Infinity : j)

function pushEvent(out: CausalZoneEvent[], kind: ZoneKind, id: number, state: CausalZoneEvent['state'], j: number): void {
  if (j !== Infinity) out.push({ kind, id, state, confirmedAt: j })
}

/**
 * Order blocks and breaker blocks (batch). Every break forms an order block on the candle found by
 * {@link obCandleIndex}, spanning its low … high, known at the breaking candle t. From t+1 a bullish
 * block is tested when a low reaches its top, mitigated when a low (the body's low with
 * `closeMitigation`) trades below its bottom, and invalidated when, after that, a high goes above its
 * top. Mitigation flips it into a bearish breaker block (same range, known at the mitigating candle
 * m): tested when a high after m reaches its bottom, invalidated with its order block. Bearish mirrors.
 * Each state is searched forward on the whole series, independently of the streaming engine.
 */
export function causalOrderBlocks(candles: Candles, breaks: readonly CausalBreak[], closeMitigation = false): CausalZones {
  const n = candleCount(candles)
  const { open: O, high: H, low: L, close: C } = candles
  let xl: ArrayLike<number> = L
  let xh: ArrayLike<number> = H
  if (closeMitigation) {
    const bl = new Float64Array(n)
    const bh = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      bl[i] = Math.min(O[i]!, C[i]!)
      bh[i] = Math.max(O[i]!, C[i]!)
    }
    xl = bl
    xh = bh
  }
  const lowDown = new NextCrossing(L, 'down')
  const highUp = new NextCrossing(H, 'up')
  const bodyDown = closeMitigation ? new NextCrossing(xl, 'down') : lowDown
  const bodyUp = closeMitigation ? new NextCrossing(xh, 'up') : highUp
  const zones: CausalZone[] = []
  const zoneEvents: CausalZoneEvent[] = []
  breaks.forEach((b, id) => {
    const t = b.confirmedAt
    const c = obCandleIndex(b.direction, b.swingIndex, t, H, L)
    const top = H[c]!
    const bottom = L[c]!
    zones.push({ kind: 'ob', id, direction: b.direction, top, bottom, index: c, confirmedAt: t })
    const bull = b.direction === 1
    const tested = at(bull ? lowDown.inclusive(t + 1, top) : highUp.inclusive(t + 1, bottom))
    const m = at(bull ? bodyDown.strict(t + 1, bottom) : bodyUp.strict(t + 1, top))
    pushEvent(zoneEvents, 'ob', id, 'tested', Math.min(tested, m))
    pushEvent(zoneEvents, 'ob', id, 'mitigated', m)
    if (m === Infinity) return
    zones.push({ kind: 'breaker', id, direction: bull ? -1 : 1, top, bottom, index: c, confirmedAt: m })
    const inv = at(bull ? highUp.strict(m + 1, top) : lowDown.strict(m + 1, bottom))
    const bTested = at(bull ? highUp.inclusive(m + 1, bottom) : lowDown.inclusive(m + 1, top))
    pushEvent(zoneEvents, 'ob', id, 'invalidated', inv)
    pushEvent(zoneEvents, 'breaker', id, 'tested', Math.min(bTested, inv))
    pushEvent(zoneEvents, 'breaker', id, 'invalidated', inv)
  })
  zones.sort(compareZones)
  zoneEvents.sort(compareZoneEvents)
  return { zones, zoneEvents }
}

/**
 * Fair value gaps (batch), detected as the parity `fvg` does (row i needs row i+1, so a gap is known
 * at i+1). From i+2 a bullish gap is tested when a low reaches its top, mitigated (filled) when a low
 * reaches its bottom, and invalidated when a close ends below its bottom; bearish mirrors.
 */
export function causalGaps(candles: Pick<Candles, 'open' | 'high' | 'low' | 'close'>): CausalZones {
  const { open: O, high: H, low: L, close: C } = candles
  const n = C.length
  const lowDown = new NextCrossing(L, 'down')
  const highUp = new NextCrossing(H, 'up')
  const closeDown = new NextCrossing(C, 'down')
  const closeUp = new NextCrossing(C, 'up')
  const zones: CausalZone[] = []
  const zoneEvents: CausalZoneEvent[] = []
  for (let i = 1; i + 1 < n; i++) {
    let direction: Direction
    let top: number
    let bottom: number
    if (C[i]! > O[i]! && H[i - 1]! < L[i + 1]!) {
      direction = 1
      top = L[i + 1]!
      bottom = H[i - 1]!
    } else if (C[i]! < O[i]! && L[i - 1]! > H[i + 1]!) {
      direction = -1
      top = L[i - 1]!
      bottom = H[i + 1]!
    } else continue
    const id = zones.length
    zones.push({ kind: 'fvg', id, direction, top, bottom, index: i, confirmedAt: i + 1 })
    const from = i + 2
    const bull = direction === 1
    const inv = at(bull ? closeDown.strict(from, bottom) : closeUp.strict(from, top))
    const mit = Math.min(inv, at(bull ? lowDown.inclusive(from, bottom) : highUp.inclusive(from, top)))
    const tested = Math.min(mit, at(bull ? lowDown.inclusive(from, top) : highUp.inclusive(from, bottom)))
    pushEvent(zoneEvents, 'fvg', id, 'tested', tested)
    pushEvent(zoneEvents, 'fvg', id, 'mitigated', mit)
    pushEvent(zoneEvents, 'fvg', id, 'invalidated', inv)
  }
  zoneEvents.sort(compareZoneEvents)
  return { zones, zoneEvents }
}
