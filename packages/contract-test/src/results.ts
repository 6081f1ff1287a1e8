// What one case did, for the summary and the JUnit report.

export type CaseStatus = 'passed' | 'failed' | 'skipped'

export interface CaseResult {
  tag: string
  /** `GET /v1/orders/{order_id}` (or `WS /v1/ws`). */
  operation: string
  operationId: string
  /** `example`, `valid #1`, `invalid: missing required field "symbol"`, `no token`, `link: …`. */
  name: string
  status: CaseStatus
  durationMs: number
  /** The HTTP status the server answered (the last one, after 429s waited out). */
  httpStatus?: number
  /** Why it failed: each problem with the contract location that failed, when there is one. */
  problems?: { message: string; schemaPath?: string }[]
  skipReason?: string
  request?: { method: string; url: string; headers?: Record<string, string>; body?: string }
  response?: { status: number; headers: Record<string, string>; body: string }
}

export interface RunReport {
  baseUrl: string
  seed: number
  startedAt: string
  durationMs: number
  /** Requests made (each 429 retry counted once more). */
  requests: number
  /** 429s waited out, and the seconds spent waiting. */
  rateLimitWaits: number
  rateLimitWaitSeconds: number
  results: CaseResult[]
}

export const failed = (report: RunReport): CaseResult[] => report.results.filter((r) => r.status === 'failed')
