import { collectRefs, holdsDateTime, zodFor } from './zod-emitter'
import { HTTP_METHODS, type OpenApiDoc, type OperationObject, type ParameterObject, type ResponseObject } from './types'

const lit = (v: unknown): string => JSON.stringify(v)

export interface OperationInfo {
  operationId: string
  method: string
  path: string
  op: OperationObject
}

/** Every operation of the contract, in path order. */
export function listOperations(doc: OpenApiDoc): OperationInfo[] {
  const out: OperationInfo[] = []
  for (const path of Object.keys(doc.paths).sort()) {
    for (const method of HTTP_METHODS) {
      const op = doc.paths[path]![method]
      if (op) out.push({ operationId: op.operationId, method, path, op })
    }
  }
  return out
}

function resolveResponse(doc: OpenApiDoc, r: ResponseObject): ResponseObject {
  if (!r.$ref) return r
  const name = r.$ref.replace('#/components/responses/', '')
  const found = doc.components.responses?.[name]
  if (!found) throw new Error(`unknown response ${r.$ref}`)
  return found
}

function emitResponse(doc: OpenApiDoc, raw: ResponseObject): string {
  const r = resolveResponse(doc, raw)
  const parts = [`description: ${lit(r.description)}`]
  if (r.headers) parts.push(`headers: ${lit(r.headers)}`)
  if (r.content) {
    const media = Object.entries(r.content).map(([type, m]) => `${lit(type)}: { schema: ${zodFor(m.schema)} }`)
    parts.push(`content: { ${media.join(', ')} }`)
  }
  return `{ ${parts.join(', ')} }`
}

function resolveParameter(doc: OpenApiDoc, p: ParameterObject): ParameterObject {
  if (!p.$ref) return p
  const found = doc.components.parameters?.[p.$ref.replace('#/components/parameters/', '')]
  if (!found) throw new Error(`unknown parameter ${p.$ref}`)
  return found
}

/** The name of the request-body form of a component (see bodyForms). */
const bodyFormName = (component: string): string => `${component}BodyForm`

/**
 * The components a request body reaches that hold a date-time, in dependency order. Each gets a body
 * form in which date-times are parsed leniently and normalised to `…Z` (the response schemas stay
 * strict): every body field with `format: date-time`, present or future, takes ISO 8601 as people
 * write it, exactly as query and path parameters do.
 */
function bodyForms(doc: OpenApiDoc, order: string[]): string[] {
  const schemas = doc.components.schemas
  const reached = new Set<string>()
  const visit = (name: string): void => {
    if (reached.has(name)) return
    reached.add(name)
    for (const dep of collectRefs(schemas[name]!)) visit(dep)
  }
  for (const { op } of listOperations(doc))
    for (const m of Object.values(op.requestBody?.content ?? {})) for (const name of collectRefs(m.schema)) visit(name)
  const forms = order.filter((name) => reached.has(name) && holdsDateTime(schemas[name]!, schemas))
  for (const name of forms)
    if (schemas[bodyFormName(name)]) throw new Error(`component ${bodyFormName(name)} collides with the body form of ${name}`)
  return forms
}

function emitRequest(doc: OpenApiDoc, op: OperationObject, forms: Set<string>): string | undefined {
  const parts: string[] = []
  const all = (op.parameters ?? []).map((p) => resolveParameter(doc, p))
  for (const where of ['path', 'query', 'header'] as const) {
    const params = all.filter((p) => p.in === where)
    if (params.length === 0) continue
    const fields = params.map((p) => {
      // zod-to-openapi loses bounds and defaults of coerced values: state the contract's own keys.
      const stated = Object.fromEntries(
        Object.entries(p.schema).filter(([k]) => (p.schema.$ref ? k === 'default' : k !== 'description' && k !== 'example')),
      )
      const meta = lit({ param: { name: p.name, in: p.in }, ...(p.description ? { description: p.description } : {}), ...stated })
      const optional = !p.required && p.schema.default === undefined
      return `${lit(p.name)}: ${zodFor(p.schema, { coerce: true })}${optional ? '.optional()' : ''}.openapi(${meta})`
    })
    parts.push(`${where === 'path' ? 'params' : where === 'query' ? 'query' : 'headers'}: z.object({ ${fields.join(', ')} })`)
  }
  if (op.requestBody) {
    const body = (name: string): string => (forms.has(name) ? bodyFormName(name) : name)
    const media = Object.entries(op.requestBody.content).map(([type, m]) => `${lit(type)}: { schema: ${zodFor(m.schema, { body })} }`)
    parts.push(`body: { required: ${op.requestBody.required ?? false}, content: { ${media.join(', ')} } }`)
  }
  return parts.length > 0 ? `{ ${parts.join(', ')} }` : undefined
}

/** The rate-limit tiers of the contract (`x-rate-limit-tier` on every operation). */
export const RATE_LIMIT_TIERS = ['trading', 'market_data', 'health', 'metrics', 'admin', 'ml'] as const

/** TypeScript source: one `createRoute` per operation plus the operation table the server's auth reads. */
export function emitRoutes(doc: OpenApiDoc, schemaNames: string[]): string {
  const ops = listOperations(doc)
  const lines = [
    '// Generated by scripts/generate from openapi/. Do not edit by hand.',
    "import { createRoute, z } from '@hono/zod-openapi'",
    `import { ${schemaNames.join(', ')} } from './schemas'`,
    "import { parseDecimal, parseIsoDateTime } from '../core/wire-formats'",
    '',
    '/** A query or path number: plain decimal digits only ("", " ", "1e3" and "0x10" are not numbers). */',
    'const textNumber = (integer: boolean) =>',
    '  z.string().transform((text, ctx) => {',
    '    const n = parseDecimal(text, integer)',
    "    if (n === undefined) ctx.addIssue({ code: 'custom', message: integer ? 'expected an integer written in decimal digits' : 'expected a number written in decimal digits' })",
    '    return n ?? z.NEVER',
    '  })',
    '',
    '/** A query or path date-time: ISO 8601 as people write it, answered as the canonical `…Z` string. */',
    'const textDateTime = () =>',
    '  z.string().transform((text, ctx) => {',
    '    const iso = parseIsoDateTime(text)',
    "    if (iso === undefined) ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 date-time, e.g. 2026-11-06T22:56:19Z, 2026-11-06T22:56:19 (UTC) or 2026-11-06' })",
    '    return iso ?? z.NEVER',
    '  })',
    '',
    '// Keeps the import list stable even when an operation stops using a schema.',
    `void [${schemaNames.join(', ')}]`,
    '',
  ]
  const forms = bodyForms(doc, schemaNames)
  const body = (name: string): string => (forms.includes(name) ? bodyFormName(name) : name)
  if (forms.length > 0)
    lines.push(
      '// Request-body forms of the components holding a date-time: the same wire schema under the same',
      '// name (so the emitted document is unchanged), but date-times are read leniently, as in a query.',
      ...forms.map((name) => `const ${bodyFormName(name)} = ${zodFor(doc.components.schemas[name]!, { body })}.openapi(${lit(name)})`),
      '',
    )
  for (const { operationId, method, path, op } of ops) {
    const fields = [
      `operationId: ${lit(operationId)}`,
      `method: ${lit(method)}`,
      `path: ${lit(path)}`,
      `tags: ${lit(op.tags ?? [])}`,
      op.summary ? `summary: ${lit(op.summary)}` : undefined,
      op.description ? `description: ${lit(op.description)}` : undefined,
      `security: ${lit(op.security ?? doc.security ?? [])} as Array<Record<string, string[]>>`,
    ].filter(Boolean)
    const request = emitRequest(doc, op, new Set(forms))
    if (request) fields.push(`request: ${request}`)
    const responses = Object.entries(op.responses).map(([code, r]) => `${code}: ${emitResponse(doc, r)}`)
    fields.push(`responses: { ${responses.join(', ')} }`)
    lines.push(`export const ${operationId}Route = createRoute({ ${fields.join(', ')} })`, '')
  }
  for (const { operationId, method, path, op } of ops) {
    const tier = op['x-rate-limit-tier']
    if (!tier || !(RATE_LIMIT_TIERS as readonly string[]).includes(tier))
      throw new Error(
        `${method.toUpperCase()} ${path} (${operationId}): x-rate-limit-tier must be one of ${RATE_LIMIT_TIERS.join(', ')} (got ${String(tier)}); every operation names the tier its requests count against`,
      )
  }
  lines.push(
    '/** The rate-limit tiers an operation can name (`x-rate-limit-tier`). */',
    `export const rateLimitTiers = ${lit(RATE_LIMIT_TIERS)} as const`,
    'export type RateLimitTier = (typeof rateLimitTiers)[number]',
    '',
    '/** Every operation: its id, method, OpenAPI path, security requirements (alternatives, each with scopes) and rate-limit tier. */',
    'export const operations = [',
    ...ops.map(
      ({ operationId, method, path, op }) =>
        `  { operationId: ${lit(operationId)}, method: ${lit(method)}, path: ${lit(path)}, security: ${lit(op.security ?? doc.security ?? [])}, rateLimitTier: ${lit(op['x-rate-limit-tier'])} },`,
    ),
    '] as const',
    '',
    'export type OperationId = (typeof operations)[number]["operationId"]',
    '',
  )
  return lines.join('\n')
}
