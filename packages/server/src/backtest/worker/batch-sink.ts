import type { EquityPoint, RunEvent, RunMetrics, RunSink, RunTrade } from '../types'
import type { RunBatch } from './protocol'

/**
 * The worker's sink: buffers a run's records and hands them out as one batch when the run reaches
 * a checkpoint or a slice ends (`send`), with the equity points in one transferable Float64Array.
 */
export class BatchSink implements RunSink {
  private eventTypes: RunBatch['eventTypes'] = []
  private eventTimes: number[] = []
  private eventData: string[] = []
  private trades: RunTrade[] = []
  private points = new Float64Array(4 * 1024)
  private pointCount = 0
  private processed = 0
  private total = 0

  constructor(private readonly post: (batch: RunBatch, transfer: ArrayBuffer[]) => void) {}

  event(e: RunEvent): void {
    this.eventTypes.push(e.event_type)
    this.eventTimes.push(e.time)
    this.eventData.push(JSON.stringify(e.data))
  }

  trade(t: RunTrade): void {
    this.trades.push({ ...t })
  }

  equity(p: EquityPoint): void {
    let o = this.pointCount * 4
    if (o === this.points.length) {
      const grown = new Float64Array(this.points.length * 2)
      grown.set(this.points)
      this.points = grown
    }
    this.points[o++] = p.time
    this.points[o++] = p.equity
    this.points[o++] = p.balance
    this.points[o] = p.drawdown_pct
    this.pointCount++
  }

  checkpoint(m: RunMetrics): void {
    this.send(m.processed, m.total, { ...m })
  }

  /** Post what is buffered (with the run's progress), even when nothing is. */
  send(processed = this.processed, total = this.total, checkpoint: RunMetrics | null = null): void {
    this.processed = processed
    this.total = total
    const equity = this.points.slice(0, this.pointCount * 4)
    const batch: RunBatch = {
      eventTypes: this.eventTypes,
      eventTimes: this.eventTimes,
      eventData: this.eventData,
      trades: this.trades,
      equity,
      checkpoint,
      processed,
      total,
    }
    this.eventTypes = []
    this.eventTimes = []
    this.eventData = []
    this.trades = []
    this.pointCount = 0
    this.post(batch, [equity.buffer])
  }
}
