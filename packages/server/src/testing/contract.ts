// Test-only: validate any HTTP response against the bundled contract (status, headers, body).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import doc from '../generated/openapi.json' with { type: 'json' }

type Json = Record<string, any>
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule
const ajv = new Ajv2020({ strict: false, allErrors: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const cache = new Map<string, ValidateFunction>()
const contract = doc as Json

function compile(key: string, schema: Json): ValidateFunction {
  let v = cache.get(key)
  if (!v) {
    // The wrapper carries the components so `#/components/...` refs resolve from its root.
    v = ajv.compile({ ...schema, components: contract.components })
    cache.set(key, v)
  }
  return v
}

const deref = (o: Json): Json => {
  if (typeof o?.$ref !== 'string') return o
  return o.$ref.split('/').slice(1).reduce((acc: Json, k: string) => acc[k.replace(/~1/g, '/').replace(/~0/g, '~')], contract)
}

/** The contract operation serving `method path` (path templates matched segment by segment). */
export function findOperation(method: string, path: string): { template: string; op: Json } | undefined {
  const segs = path.split('?')[0]!.split('/')
  for (const [template, item] of Object.entries(contract.paths as Json)) {
    const t = template.split('/')
    if (t.length !== segs.length) continue
    if (t.every((s, i) => s.startsWith('{') || s === segs[i])) {
      const op = (item as Json)[method.toLowerCase()]
      if (op) return { template, op }
    }
  }
  return undefined
}

/** Throws with a precise message when the response does not match the contract. */
export function assertMatchesContract(method: string, path: string, status: number, headers: Headers, body: unknown): void {
  const found = findOperation(method, path)
  if (!found) {
    // Unknown routes must still answer with the error envelope.
    const v = compile('#404', { $ref: '#/components/schemas/ErrorEnvelope' })
    if (status !== 404 && status !== 429) throw new Error(`${method} ${path}: no such operation, yet status ${status}`)
    if (!v(body)) throw new Error(`${method} ${path}: ${status} body is not the error envelope: ${ajv.errorsText(v.errors)}`)
    return
  }
  const where = `${method.toUpperCase()} ${found.template} → ${status}`
  const declared = found.op.responses[String(status)]
  if (!declared) throw new Error(`${where}: status not declared in the contract (declared: ${Object.keys(found.op.responses).join(', ')})`)
  const response = deref(declared)
  for (const [name, raw] of Object.entries((response.headers ?? {}) as Json)) {
    const h = deref(raw)
    const value = headers.get(name)
    if (value === null) {
      // Headers are present on every response unless the contract says `required: false` explicitly.
      if (h.required === false) continue
      throw new Error(`${where}: missing header ${name}`)
    }
    const schema = h.schema ?? {}
    const parsed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value
    const v = compile(`${found.template}#${status}#h#${name}`, schema)
    if (!v(parsed)) throw new Error(`${where}: header ${name}="${value}" invalid: ${ajv.errorsText(v.errors)}`)
  }
  const content = response.content as Json | undefined
  if (!content) return
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim()
  const media = content[type]
  if (!media) throw new Error(`${where}: content-type "${type}" not declared (declared: ${Object.keys(content).join(', ')})`)
  const v = compile(`${method}${found.template}#${status}#${type}`, media.schema)
  if (!v(body)) throw new Error(`${where}: body does not match the contract: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 500)}`)
}

/**
 * A fetch that checks every response against the contract before handing it back.
 * Tests use it for `app.request`-style calls and as the SDK's fetch against a real server.
 */
export function contractFetch(inner: (req: Request) => Promise<Response> | Response): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const req = input instanceof Request && !init ? input : new Request(input, init)
    const res = await inner(req)
    const url = new URL(req.url)
    const text = await res.clone().text()
    const isJson = (res.headers.get('content-type') ?? '').includes('json')
    let body: unknown = text
    if (isJson) body = text === '' ? undefined : JSON.parse(text)
    assertMatchesContract(req.method, url.pathname, res.status, res.headers, body)
    return res
  }
}
