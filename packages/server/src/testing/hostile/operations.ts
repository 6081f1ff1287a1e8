// The operations of a bundled OpenAPI document, with a valid-looking base request for each: the
// starting point hostile requests are derived from. Plain JSON in, plain data out (no server code),
// so a conformance command can run it against any server.

export type Json = Record<string, any>

export interface Param {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema: Json
}

export interface Operation {
  operationId: string
  method: string
  /** The path template, e.g. `/v1/orders/{order_id}`. */
  template: string
  params: Param[]
  /** The JSON body schema (resolved), when the operation takes one. */
  body?: Json
  bodyRequired: boolean
  /** How the caller authenticates: a bearer token, the API key, a refresh token, or nothing. */
  auth: 'bearer' | 'apiKey' | 'refreshToken' | 'none'
  /** Statuses the contract declares for the operation. */
  statuses: Set<number>
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

/** Follow a local `$ref` (`#/components/...`) to its target, repeatedly. */
export function deref(doc: Json, node: Json | undefined): Json {
  let n = node ?? {}
  for (let i = 0; i < 20 && typeof n.$ref === 'string'; i++) {
    const siblings = { ...n }
    delete siblings.$ref
    const target = (n.$ref as string).split('/').slice(1).reduce((acc: Json, k: string) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    n = { ...target, ...siblings }
  }
  return n
}

/** Every operation of the document, in path order. */
export function listOperations(doc: Json): Operation[] {
  const out: Operation[] = []
  for (const template of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths[template] as Json
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => {
        const r = deref(doc, p)
        return { name: r.name, in: r.in, required: !!r.required, schema: r.schema ?? {} } as Param
      })
      const bodyMedia = op.requestBody ? deref(doc, op.requestBody).content?.['application/json'] : undefined
      const security = (op.security ?? doc.security ?? []) as Json[]
      const schemes = security.flatMap((s) => Object.keys(s))
      const auth = schemes.includes('bearerAuth') ? 'bearer' : schemes.includes('apiKey') ? 'apiKey' : schemes.includes('refreshToken') ? 'refreshToken' : 'none'
      out.push({
        operationId: op.operationId,
        method,
        template,
        params,
        body: bodyMedia ? deref(doc, bodyMedia.schema) : undefined,
        bodyRequired: !!(op.requestBody && deref(doc, op.requestBody).required),
        auth,
        statuses: new Set(Object.keys(op.responses ?? {}).map(Number)),
      })
    }
  }
  return out
}

/** A value the schema accepts (its example, default, first enum value, or the simplest of its type). */
export function sampleValue(doc: Json, raw: Json | undefined, depth = 0): unknown {
  const s = deref(doc, raw)
  if (s.example !== undefined) return s.example
  if (s.default !== undefined) return s.default
  if (s.const !== undefined) return s.const
  if (Array.isArray(s.enum)) return s.enum.find((v: unknown) => v !== null)
  const alt = s.oneOf ?? s.anyOf ?? s.allOf
  if (Array.isArray(alt) && alt.length > 0) return sampleValue(doc, alt[0], depth + 1)
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type
  switch (type) {
    case 'string':
      return s.format === 'date-time' ? '2024-01-15T12:00:00Z' : 'x'.repeat(Math.max(1, s.minLength ?? 1))
    case 'integer':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1)
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1)
    case 'boolean':
      return true
    case 'array':
      return depth > 4 ? [] : Array.from({ length: s.minItems ?? 1 }, () => sampleValue(doc, s.items, depth + 1))
    default: {
      if (depth > 4) return {}
      const required = new Set<string>(s.required ?? [])
      return Object.fromEntries(
        Object.entries((s.properties ?? {}) as Json)
          .filter(([k]) => required.has(k))
          .map(([k, v]) => [k, sampleValue(doc, v, depth + 1)]),
      )
    }
  }
}

/** The scalar type a schema declares (null dropped), if any. */
export function scalarType(doc: Json, raw: Json | undefined): string | undefined {
  const s = deref(doc, raw)
  const t = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type
  return typeof t === 'string' ? t : undefined
}
