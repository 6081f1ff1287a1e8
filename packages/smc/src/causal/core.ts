import { growF64 } from '../stream/columns'
import { CrossingWatch } from '../stream/crossing-watch'
import { checkSwingLength } from './swings'
import { obCandleIndex } from './zones'
import type { CausalEvents, CausalSwing, CausalZone, CausalZoneEvent, ZoneKind } from './types'

/**
 * A zone that can still change: an order block (with its breaker once mitigated) or a gap. Its
 * `state` says which single crossing it waits for next (see `advance`).
 */
interface OpenZone {
  zone: CausalZone
  /** Gaps: 0 active, 1 tested, 2 mitigated. Order blocks: the same, then 3 = breaker tested. */
  state: number
}

// Crossing watches, one per (series, direction, strictness); a zone waits in exactly one.
const LOW_IN = 0 // low ≤ x
const LOW_BELOW = 1 // low < x
const HIGH_IN = 2 // high ≥ x
const HIGH_ABOVE = 3 // high > x
const CLOSE_BELOW = 4 // close < x
const CLOSE_ABOVE = 5 // close > x
const XL_BELOW = 6 // low (body low with closeMitigation) < x
const XH_ABOVE = 7 // high (body high with closeMitigation) > x

/**
 * The causal analysis, one candle at a time: appends to `sink` what each candle makes known, with
 * `confirmedAt` = the stamp given to `push` (the candle's own row, or for a higher timeframe the
 * input row that closed the candle). Works per candle: the pivot check of row k - w (O(w), mostly
 * one or two comparisons), the two break checks, the gap check, and the zones whose next state
 * change this candle crosses (each zone waits in one threshold heap, so the zones far from price
 * cost nothing). The batch functions compute the same records by forward searches over the whole
 * series; the replay test holds the two together.
 */
export class CausalCore {
  readonly w: number
  /** Rows pushed. */
  n = 0
  /** Level of the latest confirmed swing high / low (NaN: none yet): the dealing range. */
  hiLevel = Number.NaN
  loLevel = Number.NaN
  private O: Float64Array
  private H: Float64Array
  private L: Float64Array
  private C: Float64Array
  private hi: CausalSwing | undefined
  private lo: CausalSwing | undefined
  private hiBroken = false
  private loBroken = false
  private trend = 0
  private obCount = 0
  private fvgCount = 0
  private readonly zones: OpenZone[] = []
  /** Zone slots freed by finished zones, reused for new ones. */
  private readonly free: number[] = []
  private readonly watches = [
    new CrossingWatch(false, false),
    new CrossingWatch(false, true),
    new CrossingWatch(true, false),
    new CrossingWatch(true, true),
    new CrossingWatch(false, true),
    new CrossingWatch(true, true),
    new CrossingWatch(false, true),
    new CrossingWatch(true, true),
  ]
  private readonly hits: number[] = []

  constructor(
    swingLength: number,
    private readonly closeBreak: boolean,
    private readonly closeMitigation: boolean,
    private readonly sink: CausalEvents,
  ) {
    this.w = checkSwingLength(swingLength)
    this.O = new Float64Array(1024)
    this.H = new Float64Array(1024)
    this.L = new Float64Array(1024)
    this.C = new Float64Array(1024)
  }

  push(o: number, h: number, l: number, c: number, stamp: number): void {
    const k = this.n
    if (k === this.H.length) {
      const cap = 2 * k
      this.O = growF64(this.O, cap)
      this.H = growF64(this.H, cap)
      this.L = growF64(this.L, cap)
      this.C = growF64(this.C, cap)
    }
    const { O, H, L, C } = this
    O[k] = o
    H[k] = h
    L[k] = l
    C[k] = c
    this.n = k + 1
    this.lifecycle(o, h, l, c, k, stamp)

    // A pivot at k - w is known now.
    const w = this.w
    const i = k - w
    if (i >= w) {
      const ph = H[i]!
      let isHigh = true
      for (let d = 1; isHigh && d <= w; d++) isHigh = H[i + d]! < ph && H[i - d]! <= ph
      if (isHigh) {
        this.sink.swings.push((this.hi = { index: i, type: 1, level: ph, confirmedAt: stamp }))
        this.hiBroken = false
        this.hiLevel = ph
      }
      const pl = L[i]!
      let isLow = true
      for (let d = 1; isLow && d <= w; d++) isLow = L[i + d]! > pl && L[i - d]! >= pl
      if (isLow) {
        this.sink.swings.push((this.lo = { index: i, type: -1, level: pl, confirmedAt: stamp }))
        this.loBroken = false
        this.loLevel = pl
      }
    }

    // Structure breaks, each forming an order block.
    const hiS = this.hi
    if (hiS && !this.hiBroken && (this.closeBreak ? c : h) > hiS.level) {
      this.hiBroken = true
      this.sink.breaks.push({ kind: this.trend === -1 ? 'choch' : 'bos', direction: 1, level: hiS.level, swingIndex: hiS.index, confirmedAt: stamp })
      this.trend = 1
      this.addOb(1, hiS.index, k, stamp)
    }
    const loS = this.lo
    if (loS && !this.loBroken && (this.closeBreak ? c : l) < loS.level) {
      this.loBroken = true
      this.sink.breaks.push({ kind: this.trend === 1 ? 'choch' : 'bos', direction: -1, level: loS.level, swingIndex: loS.index, confirmedAt: stamp })
      this.trend = -1
      this.addOb(-1, loS.index, k, stamp)
    }

    // A gap on row k - 1 (it needs row k).
    if (k >= 2) {
      const m = k - 1
      const cm = C[m]!
      const om = O[m]!
      if (cm > om && H[m - 1]! < l) this.addZone('fvg', this.fvgCount++, 1, l, H[m - 1]!, m, stamp)
      else if (cm < om && L[m - 1]! > h) this.addZone('fvg', this.fvgCount++, -1, L[m - 1]!, h, m, stamp)
    }
  }

  private addOb(direction: 1 | -1, s: number, t: number, stamp: number): void {
    const c = obCandleIndex(direction, s, t, this.H, this.L)
    this.addZone('ob', this.obCount++, direction, this.H[c]!, this.L[c]!, c, stamp)
  }

  private addZone(kind: ZoneKind, id: number, direction: 1 | -1, top: number, bottom: number, index: number, stamp: number): void {
    const zone: CausalZone = { kind, id, direction, top, bottom, index, confirmedAt: stamp }
    this.sink.zones.push(zone)
    const slot = this.free.length > 0 ? this.free.pop()! : this.zones.length
    this.zones[slot] = { zone, state: 0 }
    this.wait(slot, this.n)
  }

  private event(kind: ZoneKind, id: number, state: CausalZoneEvent['state'], stamp: number): void {
    this.sink.zoneEvents.push({ kind, id, state, confirmedAt: stamp })
  }

  /** Register the crossing zone `slot` waits for in its state, from row `from` on. */
  private wait(slot: number, from: number): void {
    const { zone, state } = this.zones[slot]!
    const bull = zone.direction === 1
    let watch: number
    let x: number
    if (zone.kind === 'fvg') {
      // Tested: touches the near edge; mitigated: fills to the far edge; invalidated: closes beyond it.
      if (state === 0) (watch = bull ? LOW_IN : HIGH_IN), (x = bull ? zone.top : zone.bottom)
      else if (state === 1) (watch = bull ? LOW_IN : HIGH_IN), (x = bull ? zone.bottom : zone.top)
      else (watch = bull ? CLOSE_BELOW : CLOSE_ABOVE), (x = bull ? zone.bottom : zone.top)
    } else if (state === 0) (watch = bull ? LOW_IN : HIGH_IN), (x = bull ? zone.top : zone.bottom)
    // Mitigated: traded through the far edge.
    else if (state === 1) (watch = bull ? XL_BELOW : XH_ABOVE), (x = bull ? zone.bottom : zone.top)
    // The breaker (opposite role) is tested from the other side; both end beyond the other edge.
    else if (state === 2) (watch = bull ? HIGH_IN : LOW_IN), (x = bull ? zone.bottom : zone.top)
    else (watch = bull ? HIGH_ABOVE : LOW_BELOW), (x = bull ? zone.top : zone.bottom)
    this.watches[watch]!.add(slot, x, from, this.H, 0)
  }

  /** Whether the newest candle crosses what zone `slot` waits for (the same test as its watch). */
  private crosses(slot: number, o: number, h: number, l: number, c: number): boolean {
    const { zone, state } = this.zones[slot]!
    const bull = zone.direction === 1
    const { top, bottom } = zone
    if (zone.kind === 'fvg') {
      if (state === 0) return bull ? l <= top : h >= bottom
      if (state === 1) return bull ? l <= bottom : h >= top
      return bull ? c < bottom : c > top
    }
    if (state === 0) return bull ? l <= top : h >= bottom
    if (state === 1) {
      const x = this.closeMitigation ? (bull ? (o < c ? o : c) : o > c ? o : c) : bull ? l : h
      return bull ? x < bottom : x > top
    }
    if (state === 2) return bull ? h >= bottom : l <= top
    return bull ? h > top : l < bottom
  }

  /**
   * Zone `slot` crossed on the newest candle: record the state change, and the following ones
   * the same candle also crosses (a breaker only starts on the candle after its mitigation).
   */
  private advance(slot: number, o: number, h: number, l: number, c: number, k: number, stamp: number): void {
    const z = this.zones[slot]!
    const { kind, id } = z.zone
    for (;;) {
      const state = z.state
      if (kind === 'fvg') {
        this.event('fvg', id, state === 0 ? 'tested' : state === 1 ? 'mitigated' : 'invalidated', stamp)
      } else if (state === 0) this.event('ob', id, 'tested', stamp)
      else if (state === 1) {
        this.event('ob', id, 'mitigated', stamp)
        const { direction, top, bottom, index } = z.zone
        this.sink.zones.push({ kind: 'breaker', id, direction: direction === 1 ? -1 : 1, top, bottom, index, confirmedAt: stamp })
        z.state = 2
        this.wait(slot, k + 1)
        return
      } else if (state === 2) this.event('breaker', id, 'tested', stamp)
      else {
        this.event('ob', id, 'invalidated', stamp)
        this.event('breaker', id, 'invalidated', stamp)
      }
      if (state === (kind === 'fvg' ? 2 : 3)) {
        this.free.push(slot)
        return
      }
      z.state = state + 1
      if (!this.crosses(slot, o, h, l, c)) {
        this.wait(slot, k + 1)
        return
      }
    }
  }

  /** State changes of the zones on the newest candle (row k). */
  private lifecycle(o: number, h: number, l: number, c: number, k: number, stamp: number): void {
    const w = this.watches
    const hits = this.hits
    hits.length = 0
    const xl = this.closeMitigation ? (o < c ? o : c) : l
    const xh = this.closeMitigation ? (o > c ? o : c) : h
    let id: number
    for (let q = 0; q < 8; q++) {
      const v = q < 2 ? l : q < 4 ? h : q < 6 ? c : q === 6 ? xl : xh
      const watch = w[q]!
      while ((id = watch.pop(v, k)) >= 0) hits.push(id)
    }
    for (const slot of hits) this.advance(slot, o, h, l, c, k, stamp)
  }
}
