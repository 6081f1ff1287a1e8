/** pino's numeric levels by name. */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const
export type LevelName = keyof typeof LEVELS
const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k])) as Record<number, LevelName>

export interface LogEntry {
  id: number
  level: LevelName
  time: string
  component: string
  message: string
  /** The record's other fields (already redacted by pino). */
  fields: Record<string, unknown>
}

/**
 * The last `size` log records, for `GET /v1/logs`: fed by a pino stream of its own level, so it fills
 * even when stdout logging is silent. Ids increase; reads are newest first.
 *
 * A write only stores pino's line in a ring (every request logs one, so the hot path must stay O(1)
 * and allocation-free); a record is parsed when a read first reaches it.
 */
export class LogBuffer {
  private readonly lines: (string | undefined)[]
  private readonly ids: number[]
  private readonly parsed: (LogEntry | null | undefined)[]
  private head = 0
  private count = 0
  private nextId = 1

  constructor(readonly size = 1000) {
    this.lines = new Array<string | undefined>(size)
    this.ids = new Array<number>(size).fill(0)
    this.parsed = new Array<LogEntry | null | undefined>(size)
  }

  /** A pino stream: one JSON line per record. */
  write(line: string): void {
    this.lines[this.head] = line
    this.ids[this.head] = this.nextId++
    this.parsed[this.head] = undefined
    this.head = (this.head + 1) % this.size
    if (this.count < this.size) this.count++
  }

  /** The record in ring slot `i`, parsed once; null for a line that is not a JSON record. */
  private entry(i: number): LogEntry | null {
    const cached = this.parsed[i]
    if (cached !== undefined) return cached
    let rec: Record<string, unknown>
    try {
      rec = JSON.parse(this.lines[i]!) as Record<string, unknown>
    } catch {
      return (this.parsed[i] = null)
    }
    const { level, time, msg, component, service: _service, pid: _pid, hostname: _host, ...fields } = rec
    return (this.parsed[i] = {
      id: this.ids[i]!,
      level: NAMES[Number(level)] ?? 'info',
      time: new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
      component: typeof component === 'string' ? component : 'server',
      message: typeof msg === 'string' ? msg : '',
      fields,
    })
  }

  /** Newest first; `level` is a minimum; `since_id` strictly greater. */
  query(q: { level?: LevelName; component?: string; limit?: number; since_id?: number } = {}): LogEntry[] {
    const min = q.level ? LEVELS[q.level] : 0
    const out: LogEntry[] = []
    for (let k = 1; k <= this.count && out.length < (q.limit ?? 100); k++) {
      const i = (this.head - k + this.size) % this.size
      if (q.since_id !== undefined && this.ids[i]! <= q.since_id) break
      const e = this.entry(i)
      if (!e || LEVELS[e.level] < min || (q.component !== undefined && e.component !== q.component)) continue
      out.push(e)
    }
    return out
  }
}
