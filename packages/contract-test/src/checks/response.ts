// A response against its operation in the contract: the status is declared and is one the case
// expects, never a 5xx; declared headers are present and valid; the body matches the declared
// media type's schema; every 4xx/5xx is the error envelope.
import { deref, type Json } from '../documents'
import type { Exchange } from '../http'
import type { ContractValidator } from '../schema/validator'
import type { Operation } from '../operations'

export interface Problem {
  message: string
  /** The contract location that failed (`#/components/schemas/Order/properties/quantity/type`). */
  schemaPath?: string
}

/** What a case accepts: exact statuses, or classes. */
export type Expectation = { statuses: number[]; describe: string }

export const pointerOf = (...parts: string[]): string => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`

/** Header values are strings; numbers are compared as numbers. */
function headerValue(schema: Json, raw: string): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return raw.trim() === '' ? raw : Number(raw)
  return raw
}

export function checkResponse(doc: Json, validator: ContractValidator, op: Operation, ex: Exchange, expected: Expectation): Problem[] {
  const problems: Problem[] = []
  const status = String(ex.status)
  if (ex.status >= 500) problems.push({ message: `server error ${ex.status} (a 5xx is never acceptable)` })
  const declaredRaw = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default
  if (!declaredRaw) {
    problems.push({ message: `status ${ex.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`, schemaPath: pointerOf('paths', op.path, op.method, 'responses') })
    return problems
  }
  if (!expected.statuses.includes(ex.status) && ex.status < 500)
    problems.push({ message: `status ${ex.status}, expected ${expected.describe}${errorCode(ex)}` })
  const responsePath = typeof declaredRaw.$ref === 'string' ? declaredRaw.$ref : pointerOf('paths', op.path, op.method, 'responses', status)
  const declared = deref(doc, declaredRaw)
  for (const [name, rawHeader] of Object.entries((declared.headers ?? {}) as Json)) {
    const header = deref(doc, rawHeader)
    const value = ex.headers.get(name)
    const headerPath = typeof rawHeader.$ref === 'string' ? rawHeader.$ref : `${responsePath}/headers/${name}`
    if (value === null) {
      if (header.required === false) continue
      problems.push({ message: `missing header ${name}`, schemaPath: headerPath })
      continue
    }
    for (const p of validator.validate(`${headerPath}/schema`, header.schema ?? {}, headerValue(header.schema ?? {}, value)))
      problems.push({ message: `header ${name}: "${value}" ${p.message}`, schemaPath: p.schemaPath })
  }
  // The tier a request counted against is the one the contract gives the operation.
  const tier = ex.headers.get('x-ratelimit-tier')
  if (tier !== null && op.rateLimitTier && tier !== op.rateLimitTier)
    problems.push({ message: `X-RateLimit-Tier is "${tier}", the contract's x-rate-limit-tier is "${op.rateLimitTier}"`, schemaPath: pointerOf('paths', op.path, op.method, 'x-rate-limit-tier') })
  const content = declared.content as Json | undefined
  if (content && ex.status !== 204) {
    const type = (ex.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const media = content[type]
    if (!media) problems.push({ message: `content-type "${type}" is not declared (declared: ${Object.keys(content).join(', ')})`, schemaPath: `${responsePath}/content` })
    else if (type.includes('json')) {
      if (ex.jsonError !== undefined) problems.push({ message: `body is not JSON: ${ex.jsonError}` })
      else
        for (const p of validator.validate(`${responsePath}/content/${type}/schema`, media.schema ?? {}, ex.json))
          problems.push({ message: `body${p.instancePath === '/' ? '' : p.instancePath}: ${p.message}`, schemaPath: p.schemaPath })
    } else if (media.schema) {
      for (const p of validator.validate(`${responsePath}/content/${type}/schema`, media.schema, ex.text))
        problems.push({ message: `body: ${p.message}`, schemaPath: p.schemaPath })
    }
  }
  if (ex.status >= 400) {
    const envelope = { $ref: '#/components/schemas/ErrorEnvelope' }
    if (doc.components?.schemas?.ErrorEnvelope) {
      for (const p of validator.validate('#/components/schemas/ErrorEnvelope', envelope, ex.json))
        if (!problems.some((q) => q.schemaPath === p.schemaPath)) problems.push({ message: `error envelope${p.instancePath === '/' ? '' : p.instancePath}: ${p.message}`, schemaPath: p.schemaPath })
      // The envelope's request_id is the X-Request-Id header: one id to quote to the operator.
      const id = (ex.json as Json | undefined)?.error?.request_id
      const header = ex.headers.get('x-request-id')
      if (typeof id === 'string' && header !== null && id !== header) problems.push({ message: `error.request_id "${id}" differs from X-Request-Id "${header}"` })
    }
  }
  return problems
}

function errorCode(ex: Exchange): string {
  const e = (ex.json as Json | undefined)?.error
  return e?.code ? ` (${e.code}: ${String(e.message).slice(0, 160)})` : ''
}
