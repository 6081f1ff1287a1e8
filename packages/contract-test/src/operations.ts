// The operations of the bundled OpenAPI document, with their parameters resolved.
import { deref, type Json } from './documents'

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: Json
  example?: unknown
}

export interface Operation {
  method: string
  /** The path template, `/v1/orders/{order_id}`. */
  path: string
  id: string
  tag: string
  parameters: Parameter[]
  /** The JSON request body schema, when the operation takes one. */
  body?: { required: boolean; schema: Json; example?: unknown; contentType: string }
  responses: Json
  /** Security alternatives: `[{ bearerAuth: ['read_trades'] }]`; empty means public. */
  security: Json[]
  /** `GET /v1/orders/{order_id}`. */
  label: string
  /** The operation's `x-rate-limit-tier`, when the contract names one. */
  rateLimitTier?: string
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

export function listOperations(doc: Json): Operation[] {
  const out: Operation[] = []
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Json)) {
    const item = deref(doc, rawItem)
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const params = new Map<string, Parameter>()
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(doc, raw)
        params.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true || p.in === 'path', schema: p.schema ?? {}, example: p.example ?? (p.examples ? (Object.values(p.examples)[0] as Json)?.value : undefined) })
      }
      let body: Operation['body']
      if (op.requestBody) {
        const rb = deref(doc, op.requestBody)
        const [contentType, media] = (Object.entries(rb.content ?? {}) as [string, Json][]).find(([t]) => t.includes('json')) ?? []
        if (contentType && media)
          body = { required: rb.required === true, schema: media.schema ?? {}, example: media.example ?? (media.examples ? (Object.values(media.examples)[0] as Json)?.value : undefined), contentType }
      }
      out.push({
        method,
        path,
        id: op.operationId ?? `${method} ${path}`,
        tag: op.tags?.[0] ?? 'untagged',
        parameters: [...params.values()],
        body,
        responses: op.responses ?? {},
        security: op.security ?? doc.security ?? [],
        label: `${method.toUpperCase()} ${path}`,
        rateLimitTier: typeof op['x-rate-limit-tier'] === 'string' ? op['x-rate-limit-tier'] : undefined,
      })
    }
  }
  return out
}

/** The scopes a bearer token needs for the operation (empty: public, or not bearer). */
export function bearerScopes(op: Operation): string[] | undefined {
  const alt = op.security.find((s) => 'bearerAuth' in s)
  return alt ? (alt.bearerAuth as string[]) : undefined
}

export const isPublic = (op: Operation): boolean => op.security.length === 0 || op.security.some((s) => Object.keys(s).length === 0)
