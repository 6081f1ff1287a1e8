import type { EquityPoint, RunEvent, RunEventType, RunMetrics, RunSink, RunTrade } from '../backtest/types'
import type { Clock } from '../core'
import type { CheckpointRow, ExecutionEventRow, ExecutionRepository, ExecutionTradeRow, MaxSequences } from '../store/repositories/executions'

/** Bytes per stored equity point: time, equity, balance, drawdown_pct as float64. */
export const EQUITY_POINT_BYTES = 32

/** A run's sink into the store: RunSink plus explicit flushing. */
export interface ExecutionSink extends RunSink {
  readonly executionId: number
  /** The same record as `event`, its data serialized already (a backtest worker's batch). */
  eventJson(eventType: RunEventType, time: number, data: string): void
  /** The same records as `equity`, four float64 per point (time, equity, balance, drawdown_pct). */
  equityPoints(points: Float64Array): void
  /** Write everything buffered, in one transaction (nothing when the buffer is empty). */
  flush(): void
  /** Records emitted so far per kind (the last sequence handed out); buffered ones included. */
  sequences(): Readonly<MaxSequences>
  /** True once the run reached a final status: further records throw. */
  readonly closed: boolean
}

/**
 * Buffers a run's records and appends them with gapless per-kind sequences (continuing from what
 * the store already holds), one SQLite transaction per flush: after `flushEvery` buffered records,
 * at every checkpoint (so a checkpoint is never ahead of the records before it), and when asked.
 * A crash loses at most the unflushed tail and never half a record. Equity points go out as one
 * block per flush (see the execution_equity table).
 */
export class RecordSink implements ExecutionSink {
  private events: ExecutionEventRow[] = []
  private trades: ExecutionTradeRow[] = []
  private checkpoints: CheckpointRow[] = []
  private readonly points: Float64Array
  private pointCount = 0
  /** Sequence of the first buffered point. */
  private pointFirst: number
  private readonly seq: MaxSequences
  private isClosed = false

  constructor(
    private readonly repo: ExecutionRepository,
    readonly executionId: number,
    private readonly clock: Clock,
    private readonly flushEvery: number,
    /** Called after a flush that wrote a checkpoint. */
    private readonly onCheckpoint?: (executionId: number) => void,
  ) {
    this.seq = repo.maxSequences(executionId)
    this.pointFirst = this.seq.equity + 1
    this.points = new Float64Array(flushEvery * 4)
  }

  get closed(): boolean {
    return this.isClosed
  }

  sequences(): Readonly<MaxSequences> {
    return { ...this.seq }
  }

  event(e: RunEvent): void {
    // Serialized now: the engine may reuse or change its objects after emitting them.
    this.eventJson(e.event_type, e.time, JSON.stringify(e.data))
  }

  eventJson(eventType: RunEventType, time: number, data: string): void {
    this.open()
    this.events.push({
      executionId: this.executionId,
      sequence: ++this.seq.events,
      eventType,
      time,
      data,
      createdAt: this.clock.now(),
    })
    this.buffered()
  }

  trade(t: RunTrade): void {
    this.open()
    this.trades.push({
      executionId: this.executionId,
      sequence: ++this.seq.trades,
      symbol: t.symbol,
      direction: t.direction,
      entryTime: t.entry_time,
      entryPrice: t.entry_price,
      exitTime: t.exit_time,
      exitPrice: t.exit_price,
      quantity: t.quantity,
      fees: t.fees,
      pnl: t.pnl,
      exitReason: t.exit_reason,
      createdAt: this.clock.now(),
    })
    this.buffered()
  }

  equity(p: EquityPoint): void {
    this.point(p.time, p.equity, p.balance, p.drawdown_pct)
  }

  equityPoints(points: Float64Array): void {
    for (let o = 0; o < points.length; o += 4) this.point(points[o]!, points[o + 1]!, points[o + 2]!, points[o + 3]!)
  }

  private point(time: number, equity: number, balance: number, drawdownPct: number): void {
    this.open()
    const last = this.seq.equityLastTime
    // The equity queries find time ranges by sequence: time must not go back.
    if (last !== null && time < last) throw new Error(`Equity point at ${time} is before the previous one (${last}): times must ascend`)
    const o = this.pointCount * 4
    this.points[o] = time
    this.points[o + 1] = equity
    this.points[o + 2] = balance
    this.points[o + 3] = drawdownPct
    this.pointCount++
    this.seq.equity++
    this.seq.equityLastTime = time
    this.buffered()
  }

  checkpoint(m: RunMetrics): void {
    this.open()
    this.checkpoints.push({ executionId: this.executionId, sequence: ++this.seq.checkpoints, metrics: JSON.stringify(m), createdAt: this.clock.now() })
    this.flush()
  }

  flush(): void {
    const n = this.pointCount
    if (this.events.length === 0 && this.trades.length === 0 && this.checkpoints.length === 0 && n === 0) return
    const equity =
      n === 0
        ? []
        : [
            {
              executionId: this.executionId,
              firstSequence: this.pointFirst,
              lastSequence: this.pointFirst + n - 1,
              firstTime: this.points[0]!,
              lastTime: this.points[(n - 1) * 4]!,
              // A copy: the buffer is reused for the next block.
              points: new Uint8Array(this.points.buffer.slice(0, n * EQUITY_POINT_BYTES)),
            },
          ]
    const wroteCheckpoint = this.checkpoints.length > 0
    // Buffers are only cleared once the transaction committed: a failed flush can be retried.
    this.repo.append({ events: this.events, trades: this.trades, equity, checkpoints: this.checkpoints })
    this.events = []
    this.trades = []
    this.checkpoints = []
    this.pointFirst += n
    this.pointCount = 0
    if (wroteCheckpoint) this.onCheckpoint?.(this.executionId)
  }

  /** Flush and refuse further records (the run reached a final status). */
  close(): void {
    if (this.isClosed) return
    this.flush()
    this.isClosed = true
  }

  private open(): void {
    if (this.isClosed) throw new Error(`Execution ${this.executionId} is finished: its sink takes no more records`)
  }

  private buffered(): void {
    if (this.events.length + this.trades.length + this.pointCount >= this.flushEvery) this.flush()
  }
}
