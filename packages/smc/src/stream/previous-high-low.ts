import { parseTimeFrame } from '../indicators/previous-high-low'
import type { ParsedTimeFrame, PreviousHighLowOptions, PreviousHighLowResult } from '../indicators/previous-high-low'
import type { ColumnAlloc, Series } from './columns'

const DAY_MS = 86_400_000

/**
 * Streaming `previousHighLow`: purely causal. A candle only looks at bins before its own (all
 * complete by then) and at running extremes of earlier candles with the same k, so each row is
 * final when pushed. Bins are labelled exactly as the batch does (pandas resample edges).
 */
export class PreviousHighLowStream {
  private readonly tf: ParsedTimeFrame
  private readonly parity: boolean
  /** The batch's columns, on every row pushed so far. */
  readonly out: PreviousHighLowResult

  private origin = 0
  private firstK = 0
  private curFrom = Infinity
  private curTo = -Infinity
  private label = 0
  /** Highs / lows of the completed bins (all valid: the stream only accepts finite prices). */
  private binHigh: number[] = []
  private binLow: number[] = []
  private hi = -Infinity
  private lo = Infinity
  private bins = 0
  private lastK = -1
  private bh = false
  private bl = false

  constructor(
    options: PreviousHighLowOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.tf = parseTimeFrame(options.timeFrame ?? '1D')
    this.parity = options.parity ?? true
    this.out = { ...alloc.columns(['previousHigh', 'previousLow'], cap), brokenHigh: alloc.i32(cap), brokenLow: alloc.i32(cap) }
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap)
  }

  push(s: Series): void {
    const i = s.n - 1
    const t = s.time[i]!
    const tf = this.tf
    if (i === 0) {
      const day0 = Math.floor(t / DAY_MS)
      this.origin = day0 * DAY_MS
      if (tf.kind === 'anchored') this.firstK = tf.closedRight ? tf.ceilIndex(day0) - tf.n : tf.floorIndex(day0)
    }
    if (!(t >= this.curFrom && t < this.curTo)) {
      // A new bin (same label arithmetic as the batch).
      let label: number
      if (tf.kind === 'tick') {
        label = this.origin + Math.floor((t - this.origin) / tf.ms) * tf.ms
        this.curFrom = label
        this.curTo = label + tf.ms
      } else {
        const day = Math.floor(t / DAY_MS)
        const k = tf.closedRight ? tf.ceilIndex(day) : tf.floorIndex(day)
        const j = tf.closedRight ? Math.ceil((k - this.firstK) / tf.n) : Math.floor((k - this.firstK) / tf.n)
        const edge = this.firstK + j * tf.n
        label = tf.dayOf(edge) * DAY_MS
        if (tf.closedRight) {
          this.curFrom = (tf.dayOf(edge - tf.n) + 1) * DAY_MS
          this.curTo = label + DAY_MS
        } else {
          this.curFrom = label
          this.curTo = tf.dayOf(edge + tf.n) * DAY_MS
        }
      }
      if (this.bins > 0) {
        this.binHigh.push(this.hi)
        this.binLow.push(this.lo)
      }
      this.bins++
      this.label = label
      this.hi = -Infinity
      this.lo = Infinity
    }
    const h = s.high[i]!
    const l = s.low[i]!
    if (h > this.hi) this.hi = h
    if (l < this.lo) this.lo = l

    // k = number of non-empty labels strictly before t: the earlier bins, plus this one if its
    // label is before t (parity); parity: false always counts this bin.
    const before = this.bins - 1
    const k = this.parity ? before + (this.label < t ? 1 : 0) : before + 1
    if (k < 2) {
      this.out.previousHigh[i] = this.out.previousLow[i] = Number.NaN
      return
    }
    const ph = this.parity ? Math.fround(this.binHigh[k - 2]!) : this.binHigh[k - 2]!
    const pl = this.parity ? Math.fround(this.binLow[k - 2]!) : this.binLow[k - 2]!
    this.out.previousHigh[i] = ph
    this.out.previousLow[i] = pl
    if (k !== this.lastK) {
      this.lastK = k
      this.bh = this.bl = false
    }
    if (h > ph) this.bh = true
    if (l < pl) this.bl = true
    this.out.brokenHigh[i] = this.bh ? 1 : 0
    this.out.brokenLow[i] = this.bl ? 1 : 0
  }
}
