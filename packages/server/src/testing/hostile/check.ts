import type { Json, Operation } from './operations'
import type { HostileRequest } from './requests'

export interface Credentials {
  /** A bearer token holding every scope. */
  token: string
  apiKey: string
  refreshToken: string
}

export interface Answer {
  status: number
  headers: Headers
  text: string
}

/** Send a hostile request through any fetch (a real server's, or `app.request`'s). */
export async function sendHostile(fetcher: (url: string, init: RequestInit) => Promise<Response>, baseUrl: string, req: HostileRequest, op: Operation, creds: Credentials): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers }
  if (req.authenticate) {
    if (op.auth === 'bearer') headers.Authorization = `Bearer ${creds.token}`
    else if (op.auth === 'apiKey') headers['X-API-Key'] = creds.apiKey
    else if (op.auth === 'refreshToken') headers.Authorization = `Bearer ${creds.refreshToken}`
  }
  const hasBody = req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD'
  const res = await fetcher(`${baseUrl}${req.path}`, { method: req.method, headers, body: hasBody ? req.body : undefined })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/**
 * What is wrong with an answer to a hostile request, if anything: a 5xx, a status the contract does
 * not declare for the operation, an error outside the envelope or with a code outside the closed
 * list, a missing or mismatched X-Request-Id.
 */
export function problemsOf(answer: Answer, op: Operation, errorCodes: ReadonlySet<string>): string[] {
  const problems: string[] = []
  if (answer.status >= 500) problems.push(`status ${answer.status} (a server error)`)
  if (!op.statuses.has(answer.status)) problems.push(`status ${answer.status} is not declared (declared: ${[...op.statuses].join(', ')})`)
  const requestId = answer.headers.get('x-request-id')
  if (!requestId) problems.push('no X-Request-Id header')
  if (answer.status < 400) return problems
  let body: Json
  try {
    body = JSON.parse(answer.text)
  } catch {
    return [...problems, `error body is not JSON: ${answer.text.slice(0, 80)}`]
  }
  const e = body?.error
  const keys = body && typeof body === 'object' ? Object.keys(body) : []
  if (!e || typeof e !== 'object' || keys.length !== 1) return [...problems, `error body is not the envelope: ${answer.text.slice(0, 120)}`]
  if (!errorCodes.has(e.code)) problems.push(`error code ${JSON.stringify(e.code)} is not in the contract's ErrorCode list`)
  if (typeof e.message !== 'string' || e.message.length === 0) problems.push('error without a message')
  if (!e.details || typeof e.details !== 'object' || Array.isArray(e.details)) problems.push('error details is not an object')
  if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))) problems.push('error timestamp is not a date-time')
  if (e.request_id !== requestId) problems.push(`request_id ${e.request_id} differs from X-Request-Id ${requestId}`)
  if (answer.text.length > 4096) problems.push(`error body of ${answer.text.length} bytes (over 4 KiB)`)
  return problems
}

/** The contract's closed list of error codes. */
export const errorCodesOf = (doc: Json): Set<string> => new Set<string>(doc.components?.schemas?.ErrorCode?.enum ?? [])
