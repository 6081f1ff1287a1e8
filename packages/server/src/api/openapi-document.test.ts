import { describe, expect, it } from 'vitest'
import contract from '../generated/openapi.json' with { type: 'json' }
import { createTestContext } from '../testing'

type Json = Record<string, any>
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

/** Resolve `$ref`s against a document, recursively, so inline and referenced forms compare equal. */
function resolve(doc: Json, node: unknown, seen = new Set<string>()): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(doc, n, seen))
  if (!node || typeof node !== 'object') return node
  const { $ref, allOf, ...rest } = node as Json
  if (typeof $ref === 'string') {
    if (seen.has($ref)) return { $ref }
    const target = $ref.split('/').slice(1).reduce((acc: Json, k: string) => acc?.[k], doc)
    // OpenAPI 3.1 allows siblings next to $ref (e.g. a default): they refine the target.
    return { ...(resolve(doc, target, new Set([...seen, $ref])) as Json), ...(resolve(doc, rest, seen) as Json) }
  }
  // zod-to-openapi annotates a referenced schema as allOf [ref, {annotations}]: the same as ref + siblings.
  if (Array.isArray(allOf) && allOf.slice(1).every((x: Json) => !x.$ref && !x.type && !x.properties))
    return Object.assign({}, ...allOf.map((x: Json) => resolve(doc, x, seen)), resolve(doc, rest, seen))
  const o = node as Json
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(doc, v, seen)]))
}

/** The structural part of a schema: types, properties, required, enums, bounds. Prose is ignored. */
function shape(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(shape)
  if (!s || typeof s !== 'object') return s
  const o = s as Json
  const keep = ['type', 'properties', 'required', 'items', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'additionalProperties', 'anyOf', 'oneOf', 'default', 'format']
  const out: Json = {}
  for (const k of keep) {
    if (!(k in o)) continue
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(o[k] as Json).map(([p, v]) => [p, shape(v)]))
    else if (k === 'required') out[k] = [...(o[k] as string[])].sort()
    else out[k] = shape(o[k])
  }
  // `additionalProperties: {}` and `true` are the same JSON Schema; so are absent and empty `properties`.
  if (out.additionalProperties && typeof out.additionalProperties === 'object' && Object.keys(out.additionalProperties).length === 0)
    out.additionalProperties = true
  if (out.properties && Object.keys(out.properties as Json).length === 0) delete out.properties
  // zod marks a nullable type as anyOf [T, null]; the contract writes type: [T, 'null'].
  if (Array.isArray(out.anyOf) && out.anyOf.length === 2 && (out.anyOf as Json[]).some((x) => x.type === 'null')) {
    const other = (out.anyOf as Json[]).find((x) => x.type !== 'null')!
    delete out.anyOf
    Object.assign(out, other, { type: [other.type, 'null'] })
  }
  return out
}

function operationsOf(doc: Json) {
  const out: Record<string, Json> = {}
  for (const [path, item] of Object.entries(doc.paths as Json))
    for (const m of METHODS) {
      const op = (item as Json)[m]
      if (!op) continue
      const r = resolve(doc, op) as Json
      out[`${m.toUpperCase()} ${path}`] = {
        operationId: r.operationId,
        security: r.security ?? doc.security,
        parameters: (r.parameters ?? [])
          .map((p: Json) => ({ name: p.name, in: p.in, required: !!p.required, schema: shape(p.schema) }))
          .sort((a: Json, b: Json) => `${a.in}${a.name}`.localeCompare(`${b.in}${b.name}`)),
        requestBody: r.requestBody
          ? Object.fromEntries(Object.entries(r.requestBody.content as Json).map(([t, m]) => [t, shape((m as Json).schema)]))
          : undefined,
        responses: Object.fromEntries(
          Object.entries(r.responses as Json).map(([code, resp]) => [
            code,
            {
              headers: Object.keys((resp as Json).headers ?? {}).sort(),
              content: Object.fromEntries(Object.entries(((resp as Json).content ?? {}) as Json).map(([t, m]) => [t, shape((m as Json).schema)])),
            },
          ]),
        ),
      }
    }
  return out
}

describe("the server's emitted OpenAPI document", () => {
  it('has the same operations, parameters, status codes and schemas as the contract', async () => {
    const ctx = await createTestContext()
    try {
      const emitted = ctx.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'SMC Trading API', version: '1.0.0' } }) as Json
      const a = operationsOf(emitted)
      const b = operationsOf(contract as Json)
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort())
      for (const key of Object.keys(b)) expect(a[key], key).toEqual(b[key])
      for (const name of Object.keys((contract as Json).components.schemas))
        expect(shape(resolve(emitted, { $ref: `#/components/schemas/${name}` })), name).toEqual(
          shape(resolve(contract as Json, { $ref: `#/components/schemas/${name}` })),
        )
    } finally {
      await ctx.close()
    }
  })
})
