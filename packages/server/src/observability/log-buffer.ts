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
 */
export class LogBuffer {
  private readonly entries: LogEntry[] = []
  private nextId = 1

  constructor(readonly size = 1000) {}

  /** A pino stream: one JSON line per record. */
  write(line: string): void {
    let rec: Record<string, unknown>
    try {
      rec = JSON.parse(line) as Record<string, unknown>
    } catch {
      return
    }
    const { level, time, msg, component, service: _service, pid: _pid, hostname: _host, ...fields } = rec
    this.entries.push({
      id: this.nextId++,
      level: NAMES[Number(level)] ?? 'info',
      time: new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
      component: typeof component === 'string' ? component : 'server',
      message: typeof msg === 'string' ? msg : '',
      fields,
    })
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size)
  }

  /** Newest first; `level` is a minimum; `since_id` strictly greater. */
  query(q: { level?: LevelName; component?: string; limit?: number; since_id?: number } = {}): LogEntry[] {
    const min = q.level ? LEVELS[q.level] : 0
    const out: LogEntry[] = []
    for (let i = this.entries.length - 1; i >= 0 && out.length < (q.limit ?? 100); i--) {
      const e = this.entries[i]!
      if (q.since_id !== undefined && e.id <= q.since_id) break
      if (LEVELS[e.level] < min || (q.component !== undefined && e.component !== q.component)) continue
      out.push(e)
    }
    return out
  }
}
