import { growF64 } from '../stream/columns'
import { checkSwingLength } from './swings'
import { obCandleIndex } from './zones'
import type { CausalEvents, CausalSwing, CausalZone, CausalZoneEvent, ZoneKind } from './types'

/** An order block (with its breaker once mitigated) or a gap still waiting for state changes. */
interface OpenZone {
  zone: CausalZone
  /** 0 active, 1 tested, 2 mitigated. */
  state: number
  breaker: CausalZone | undefined
  breakerTested: boolean
}

/**
 * The causal analysis, one candle at a time: appends to `sink` what each candle makes known, with
 * `confirmedAt` = the stamp given to `push` (the candle's own row, or for a higher timeframe the
 * input row that closed the candle). Works per candle: the pivot check of row k - w (O(w), mostly
 * one or two comparisons), the two break checks, the gap check and one pass over the zones that can
 * still change. The batch functions compute the same records by forward searches over the whole
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
  private open: OpenZone[] = []

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
    if (this.open.length > 0) this.lifecycle(o, h, l, c, stamp)

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
    this.open.push({ zone, state: 0, breaker: undefined, breakerTested: false })
  }

  private event(kind: ZoneKind, id: number, state: CausalZoneEvent['state'], stamp: number): void {
    this.sink.zoneEvents.push({ kind, id, state, confirmedAt: stamp })
  }

  /** State changes of the open zones on the newest candle; zones that reached their last state leave. */
  private lifecycle(o: number, h: number, l: number, c: number, stamp: number): void {
    const open = this.open
    const xl = this.closeMitigation ? (o < c ? o : c) : l
    const xh = this.closeMitigation ? (o > c ? o : c) : h
    let keep = 0
    for (let q = 0; q < open.length; q++) {
      const z = open[q]!
      const { kind, id, top, bottom } = z.zone
      const bull = z.zone.direction === 1
      let done = false
      if (kind === 'fvg') {
        // Tested: touches the near edge; mitigated: fills to the far edge; invalidated: closes beyond it.
        const reach = bull ? l <= top : h >= bottom
        const fill = bull ? l <= bottom : h >= top
        const through = bull ? c < bottom : c > top
        if (z.state < 1 && (reach || fill || through)) this.event('fvg', id, 'tested', stamp), (z.state = 1)
        if (z.state < 2 && (fill || through)) this.event('fvg', id, 'mitigated', stamp), (z.state = 2)
        if (through) {
          this.event('fvg', id, 'invalidated', stamp)
          done = true
        }
      } else if (z.state < 2) {
        const through = bull ? xl < bottom : xh > top
        if (z.state < 1 && (through || (bull ? l <= top : h >= bottom))) this.event('ob', id, 'tested', stamp), (z.state = 1)
        if (through) {
          this.event('ob', id, 'mitigated', stamp)
          z.state = 2
          const breaker: CausalZone = { kind: 'breaker', id, direction: bull ? -1 : 1, top, bottom, index: z.zone.index, confirmedAt: stamp }
          this.sink.zones.push(breaker)
          z.breaker = breaker
        }
      } else {
        // Mitigated: the breaker (opposite role) is tested from the other side; both end when price
        // trades beyond the zone's other edge.
        const beyond = bull ? h > top : l < bottom
        if (!z.breakerTested && (beyond || (bull ? h >= bottom : l <= top))) {
          this.event('breaker', id, 'tested', stamp)
          z.breakerTested = true
        }
        if (beyond) {
          this.event('ob', id, 'invalidated', stamp)
          this.event('breaker', id, 'invalidated', stamp)
          done = true
        }
      }
      if (!done) open[keep++] = z
    }
    open.length = keep
  }
}
