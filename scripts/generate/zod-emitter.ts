import type { SchemaObject } from './types'

const refName = (ref: string): string => {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref)
  if (!m) throw new Error(`unsupported $ref ${ref}: only #/components/schemas/* is supported`)
  return m[1]!
}

const lit = (v: unknown): string => JSON.stringify(v)
const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k))

/** Names of the component schemas a schema refers to (directly or nested). */
export function collectRefs(s: SchemaObject, out = new Set<string>()): Set<string> {
  if (s.$ref) out.add(refName(s.$ref))
  if (s.items) collectRefs(s.items, out)
  for (const p of Object.values(s.properties ?? {})) collectRefs(p, out)
  if (s.additionalProperties && typeof s.additionalProperties === 'object') collectRefs(s.additionalProperties, out)
  for (const sub of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) collectRefs(sub, out)
  return out
}

export interface EmitOptions {
  /**
   * Query and path values arrive as strings: numbers are parsed strictly (decimal digits only), dates
   * leniently (ISO 8601 as people write it), both by the parsers in the server's core/wire-formats.
   */
  coerce?: boolean
  /**
   * A request body (JSON): date-times are parsed as leniently as in a query (ISO 8601 as people write
   * it, normalised to `…Z`), and a component ref is replaced by the name this returns (the body form
   * of a component that holds a date-time, see routes-emitter).
   */
  body?: (component: string) => string
}

/** Zod source for one JSON schema. Component refs become the generated constant of that name. */
export function zodFor(s: SchemaObject, opts: EmitOptions = {}): string {
  let expr = baseZod(s, opts)
  const meta: Record<string, unknown> = {}
  if (s.description && !s.$ref) meta.description = s.description
  if (s.example !== undefined && !s.$ref) meta.example = s.example
  if (s.default !== undefined) expr += `.default(${lit(s.default)})`
  if (Object.keys(meta).length > 0) expr += `.openapi(${lit(meta)})`
  return expr
}

function baseZod(s: SchemaObject, opts: EmitOptions): string {
  if (s.$ref) return opts.body ? opts.body(refName(s.$ref)) : refName(s.$ref)
  if (s.oneOf || s.anyOf) return `z.union([${(s.oneOf ?? s.anyOf)!.map((x) => zodFor(x, opts)).join(', ')}])`
  if (s.allOf) {
    if (s.allOf.length === 1) return zodFor(s.allOf[0]!, opts)
    throw new Error('allOf with more than one member is not supported')
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
  const nullable = types.includes('null')
  const t = types.filter((x) => x !== 'null')
  if (nullable && t.length === 0 && !s.properties && !s.enum && s.const === undefined) return 'z.null()'
  if (t.length > 1) throw new Error(`multi-type schemas are not supported: ${lit(s.type)}`)
  let expr = scalarOrStructure(t[0], s, opts)
  if (nullable) expr += '.nullable()'
  return expr
}

function scalarOrStructure(type: string | undefined, s: SchemaObject, opts: EmitOptions): string {
  if (s.const !== undefined) return `z.literal(${lit(s.const)})`
  // A nullable enum lists null among its values (JSON Schema); the type's 'null' adds .nullable().
  if (s.enum) return `z.enum(${lit(s.enum.filter((v) => v !== null))})`
  switch (type) {
    case 'string': {
      // The wire schema of a lenient date-time stays `string` + `date-time` in the emitted document.
      if (s.format === 'date-time' && opts.body) return `textDateTime().openapi(${lit({ format: 'date-time' })})`
      let e = s.format === 'date-time' ? (opts.coerce ? 'textDateTime()' : 'z.iso.datetime({ offset: true })') : 'z.string()'
      if (s.minLength !== undefined) e += `.min(${s.minLength})`
      if (s.maxLength !== undefined) e += `.max(${s.maxLength})`
      if (s.pattern) e += `.regex(new RegExp(${lit(s.pattern)}))`
      return e
    }
    case 'number':
    case 'integer': {
      let e = 'z.number()'
      if (type === 'integer') e += '.int()'
      if (s.minimum !== undefined) e += `.gte(${s.minimum})`
      if (s.maximum !== undefined) e += `.lte(${s.maximum})`
      if (s.exclusiveMinimum !== undefined) e += `.gt(${s.exclusiveMinimum})`
      if (s.exclusiveMaximum !== undefined) e += `.lt(${s.exclusiveMaximum})`
      return opts.coerce ? `textNumber(${type === 'integer'}).pipe(${e})` : e
    }
    case 'boolean':
      return opts.coerce ? 'z.stringbool()' : 'z.boolean()'
    case 'array': {
      let e = `z.array(${s.items ? zodFor(s.items, opts) : 'z.unknown()'})`
      if (s.minItems !== undefined) e += `.min(${s.minItems})`
      if (s.maxItems !== undefined) e += `.max(${s.maxItems})`
      if (s.uniqueItems) e += `.refine((a) => new Set(a.map((x) => JSON.stringify(x))).size === a.length, 'items must be unique')`
      return e
    }
    case 'object':
    case undefined: {
      if (!s.properties && type === undefined) return 'z.unknown()'
      const required = new Set(s.required ?? [])
      const props = Object.entries(s.properties ?? {}).map(([k, v]) => {
        const optional = !required.has(k) && v.default === undefined
        return `${key(k)}: ${zodFor(v, opts)}${optional ? '.optional()' : ''}`
      })
      const body = `{ ${props.join(', ')} }`
      const ap = s.additionalProperties
      let e: string
      if (ap === false) e = `z.strictObject(${body})`
      else if (ap === true) e = `z.looseObject(${body})`
      else if (ap && typeof ap === 'object') e = `z.object(${body}).catchall(${zodFor(ap, opts)})`
      else e = `z.object(${body})`
      if (s.minProperties !== undefined)
        e += `.refine((o) => Object.keys(o).length >= ${s.minProperties}, 'at least ${s.minProperties} propert${s.minProperties === 1 ? 'y is' : 'ies are'} required')`
      return e
    }
    default:
      throw new Error(`unsupported schema type ${type}`)
  }
}

/** Whether a schema holds a `date-time` string anywhere (following component refs). */
export function holdsDateTime(s: SchemaObject, schemas: Record<string, SchemaObject>, seen = new Set<string>()): boolean {
  if (s.$ref) {
    const name = refName(s.$ref)
    if (seen.has(name)) return false
    seen.add(name)
    return holdsDateTime(schemas[name] ?? {}, schemas, seen)
  }
  if (s.format === 'date-time') return true
  const subs = [
    ...(s.items ? [s.items] : []),
    ...Object.values(s.properties ?? {}),
    ...(s.additionalProperties && typeof s.additionalProperties === 'object' ? [s.additionalProperties] : []),
    ...(s.oneOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.allOf ?? []),
  ]
  return subs.some((x) => holdsDateTime(x, schemas, seen))
}

/** Order component names so every schema comes after the ones it refers to. */
export function topoSort(schemas: Record<string, SchemaObject>): string[] {
  const out: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting') throw new Error(`recursive schemas are not supported: ${[...path, name].join(' → ')}`)
    state.set(name, 'visiting')
    const s = schemas[name]
    if (!s) throw new Error(`unknown schema ${name}`)
    for (const dep of collectRefs(s)) visit(dep, [...path, name])
    state.set(name, 'done')
    out.push(name)
  }
  for (const name of Object.keys(schemas).sort()) visit(name, [])
  return out
}
