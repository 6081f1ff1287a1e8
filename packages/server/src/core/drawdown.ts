/**
 * The fall of `equity` below `peak` as a fraction of the peak (0.05 = 5 %); 0 at or above the peak,
 * and 0 when the peak is not positive (a fraction of a non-positive equity means nothing).
 *
 * @example
 * drawdown(120, 90) // 0.25
 */
export const drawdown = (peak: number, equity: number): number => (peak > 0 ? Math.max(0, (peak - equity) / peak) : 0)

/**
 * The running peak and the largest drawdown of an equity series, one point at a time.
 *
 * @example
 * const t = new DrawdownTracker()
 * for (const e of [100, 120, 90, 130]) t.note(e)
 * t.worst // 0.25
 */
export class DrawdownTracker {
  constructor(
    public peak = -Infinity,
    public worst = 0,
  ) {}

  note(equity: number): void {
    if (equity > this.peak) this.peak = equity
    else this.worst = Math.max(this.worst, drawdown(this.peak, equity))
  }
}
