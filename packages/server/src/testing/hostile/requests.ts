import fc from 'fast-check'
import { deref, type Json, type Operation, sampleValue, scalarType } from './operations'

// Hostile requests derived from an operation's valid base request: one kind of damage each, so a
// failure names what broke. Seeded through fast-check, so any failure replays from its seed.

export type HostileKind =
  | 'media-type'
  | 'oversized-body'
  | 'oversized-query'
  | 'non-decimal-number'
  | 'unknown-enum'
  | 'wrong-json-type'
  | 'unknown-field'
  | 'malformed-json'
  | 'non-object-body'
  | 'bad-path-param'
  | 'bad-percent-encoding'
  | 'bad-token'

export interface HostileRequest {
  operationId: string
  kind: HostileKind
  method: string
  /** Path and query, percent-encoded. */
  path: string
  /** Extra headers; `Content-Type` is absent when the kind removes it. */
  headers: Record<string, string>
  body?: string
  /** Whether the runner adds the operation's credential (bad-token brings its own). */
  authenticate: boolean
  /** What was damaged, for failure messages. */
  note: string
}

/** Media types a JSON-body route must refuse with 415 (undefined: no Content-Type at all). */
export const WRONG_MEDIA_TYPES = [undefined, 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', '%%garbage%%'] as const
/** Texts that `Number()` would read as numbers but a query number must not be. */
export const NON_DECIMALS = ['', ' ', '1e3', '0x10', '0b1', '+1', '1,5', 'NaN', 'Infinity', '-', '.', '1.2.3', '١٢', '1_000'] as const

const MAX_BODY = 64 * 1024
const MAX_URL = 8 * 1024

interface Base {
  op: Operation
  pathParams: Record<string, string>
  query: Record<string, string>
  body: Json | undefined
}

function baseOf(doc: Json, op: Operation): Base {
  const pathParams: Record<string, string> = {}
  const query: Record<string, string> = {}
  for (const p of op.params) {
    if (p.in === 'path') pathParams[p.name] = String(sampleValue(doc, p.schema))
    else if (p.in === 'query' && p.required) query[p.name] = String(sampleValue(doc, p.schema))
  }
  const body = op.body ? (sampleValue(doc, op.body) as Json) : undefined
  return { op, pathParams, query, body }
}

function urlOf(base: Base, pathParams = base.pathParams, query = base.query, rawQuery = ''): string {
  const path = base.op.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathParams[name] ?? 'x'))
  const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  if (rawQuery) qs.push(rawQuery)
  return qs.length > 0 ? `${path}?${qs.join('&')}` : path
}

const JSON_HEADERS = { 'Content-Type': 'application/json' }

function request(base: Base, kind: HostileKind, note: string, over: Partial<HostileRequest> = {}): HostileRequest {
  return {
    operationId: base.op.operationId,
    kind,
    method: base.op.method.toUpperCase(),
    path: urlOf(base),
    headers: base.body !== undefined ? { ...JSON_HEADERS } : {},
    body: base.body !== undefined ? JSON.stringify(base.body) : undefined,
    authenticate: true,
    note,
    ...over,
  }
}

/** A JSON value of a different kind than the schema's type. */
const wrongTypeFor = (type: string | undefined): fc.Arbitrary<unknown> => {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 20 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.integer(), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
  }
  const exclude = type === 'integer' ? ['number'] : type ? [type] : []
  return fc.oneof(...Object.entries(all).filter(([k]) => !exclude.includes(k)).map(([, a]) => a))
}

/** The arbitraries of every kind of damage that applies to one operation. */
export function hostileArbitraries(doc: Json, op: Operation): Array<fc.Arbitrary<HostileRequest>> {
  const base = baseOf(doc, op)
  const out: Array<fc.Arbitrary<HostileRequest>> = []
  const queryParams = op.params.filter((p) => p.in === 'query')
  const numeric = queryParams.filter((p) => ['integer', 'number'].includes(scalarType(doc, p.schema) ?? ''))
  const enums = queryParams.filter((p) => Array.isArray(deref(doc, p.schema).enum))
  const pathParams = op.params.filter((p) => p.in === 'path')

  out.push(
    fc.integer({ min: MAX_URL + 1, max: 4 * MAX_URL }).map((n) =>
      request(base, 'oversized-query', `a ${n}-character query value`, { path: urlOf(base, base.pathParams, base.query, `pad=${'q'.repeat(n)}`) }),
    ),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%C0%AF', '%FF%FE').map((raw) =>
      request(base, 'bad-percent-encoding', `query ${raw}`, { path: urlOf(base, base.pathParams, base.query, `${queryParams[0]?.name ?? 'q'}=${raw}`) }),
    ),
  )
  if (op.auth !== 'none')
    out.push(
      fc.constantFrom('Bearer ', 'Bearer a.b.c', 'Bearer ' + 'x'.repeat(2000), 'Basic Zm9vOmJhcg==', 'bearer', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.').map((value) =>
        request(base, 'bad-token', `Authorization: ${value.slice(0, 30)}`, { authenticate: false, headers: { ...request(base, 'bad-token', '').headers, Authorization: value, 'X-API-Key': value } }),
      ),
    )
  if (numeric.length > 0)
    out.push(
      fc.tuple(fc.constantFrom(...numeric), fc.constantFrom(...NON_DECIMALS)).map(([p, text]) =>
        request(base, 'non-decimal-number', `${p.name}=${JSON.stringify(text)}`, { path: urlOf(base, base.pathParams, { ...base.query, [p.name]: text }) }),
      ),
    )
  if (enums.length > 0)
    out.push(
      fc.tuple(fc.constantFrom(...enums), fc.string({ minLength: 1, maxLength: 30 })).map(([p, text]) =>
        request(base, 'unknown-enum', `${p.name}=${JSON.stringify(text)}`, { path: urlOf(base, base.pathParams, { ...base.query, [p.name]: `zz${text}` }) }),
      ),
    )
  if (pathParams.length > 0)
    out.push(
      fc.tuple(fc.constantFrom(...pathParams), fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' })).map(([p, text]) =>
        request(base, 'bad-path-param', `${p.name}=${JSON.stringify(text.slice(0, 40))}`, { path: urlOf(base, { ...base.pathParams, [p.name]: text }) }),
      ),
    )
  if (op.body) {
    const props = Object.entries((deref(doc, op.body).properties ?? {}) as Json)
    const body = base.body ?? {}
    out.push(
      fc.constantFrom(...WRONG_MEDIA_TYPES).map((type) =>
        request(base, 'media-type', `Content-Type ${type ?? '(none)'}`, { headers: type === undefined ? {} : { 'Content-Type': type } }),
      ),
      fc.integer({ min: MAX_BODY + 1, max: 3 * MAX_BODY }).map((n) =>
        request(base, 'oversized-body', `a ${n}-character field`, { body: JSON.stringify({ ...body, pad: 'p'.repeat(n) }) }),
      ),
      fc.tuple(fc.string({ minLength: 1, maxLength: 40 }), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) =>
        request(base, 'unknown-field', `field ${JSON.stringify(k)}`, { body: JSON.stringify({ ...body, [`zz_${k}`]: v }) }),
      ),
      fc.integer({ min: 0, max: 1000 }).map((cut) => {
        const text = JSON.stringify(body)
        const broken = text.slice(0, Math.min(cut, Math.max(0, text.length - 1))) || '{'
        return request(base, 'malformed-json', `body cut at ${broken.length}`, { body: broken })
      }),
      fc.constantFrom('[]', '"x"', '1', 'null', 'true', '[{}]').map((text) => request(base, 'non-object-body', `body ${text}`, { body: text })),
    )
    if (props.length > 0)
      out.push(
        fc.constantFrom(...props).chain(([name, schema]) =>
          wrongTypeFor(scalarType(doc, schema as Json)).map((v) =>
            request(base, 'wrong-json-type', `${name}=${JSON.stringify(v)?.slice(0, 40)}`, { body: JSON.stringify({ ...body, [name]: v }) }),
          ),
        ),
      )
  }
  return out
}

/** Any hostile request to any operation. */
export function hostileRequest(doc: Json, ops: Operation[]): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...ops.map((op) => fc.oneof(...hostileArbitraries(doc, op))))
}
