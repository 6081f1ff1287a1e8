// Values from JSON schemas: the contract's examples, and seeded random values that satisfy the
// schema (checked with ajv by the caller; a value that does not validate is not used).
import { deref, type Json } from '../documents'
import type { Rng } from '../rng'

const NO_VALUE = Symbol('no value')
export type Generated = unknown

/** Time the generated date-times are near (fixed, so a seed reproduces its inputs). */
const BASE_TIME = Date.UTC(2024, 0, 15, 12)

/** Merge `allOf` members (object properties and required lists) into one schema. */
function mergeAllOf(doc: Json, schema: Json): Json {
  if (!Array.isArray(schema.allOf)) return schema
  const out: Json = { ...schema, allOf: undefined, properties: { ...(schema.properties ?? {}) }, required: [...(schema.required ?? [])] }
  for (const part of schema.allOf) {
    const p = mergeAllOf(doc, deref(doc, part))
    Object.assign(out.properties, p.properties ?? {})
    out.required.push(...(p.required ?? []))
    for (const k of ['type', 'enum', 'minimum', 'maximum', 'pattern', 'format', 'minLength', 'maxLength', 'example', 'items'])
      if (p[k] !== undefined && out[k] === undefined) out[k] = p[k]
  }
  return out
}

/** The schema with `$ref` followed and `allOf` merged. */
export function resolveSchema(doc: Json, schema: unknown): Json {
  return mergeAllOf(doc, deref(doc, schema ?? {}) ?? {})
}

/** The contract's example of a schema: `example`, the first `examples`, `default`, the first enum, built from property examples. */
export function exampleOf(doc: Json, raw: unknown, depth = 0): Generated {
  const schema = resolveSchema(doc, raw)
  if (schema.example !== undefined) return schema.example
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0]
  if (schema.default !== undefined) return schema.default
  if (schema.const !== undefined) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if (depth > 8) return undefined
  const type = primaryType(schema)
  if (schema.oneOf || schema.anyOf) return exampleOf(doc, (schema.oneOf ?? schema.anyOf)[0], depth + 1)
  if (type === 'object' && schema.properties) {
    const out: Json = {}
    for (const name of (schema.required ?? []) as string[]) {
      const v = exampleOf(doc, schema.properties[name], depth + 1)
      if (v !== undefined) out[name] = v
    }
    return out
  }
  if (type === 'array') {
    const item = exampleOf(doc, schema.items, depth + 1)
    return item === undefined ? [] : Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item)
  }
  return undefined
}

function primaryType(schema: Json): string | undefined {
  if (typeof schema.type === 'string') return schema.type
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null') ?? 'null'
  if (schema.properties) return 'object'
  if (schema.items) return 'array'
  return undefined
}

/** A random string matching the simple patterns contracts use (`^[A-Za-z0-9_-]{1,64}$` and the like), else undefined. */
function fromPattern(pattern: string, rng: Rng): string | undefined {
  const m = /^\^((?:\[[^\]]+\]|[A-Za-z0-9_]|\\.)(?:\{\d+(?:,\d*)?\}|[+*?])?)+\$$/.exec(pattern)
  if (!m) return undefined
  const parts = pattern.slice(1, -1).match(/(\[[^\]]+\]|\\.|[A-Za-z0-9_])(\{\d+(?:,\d*)?\}|[+*?])?/g) ?? []
  let out = ''
  for (const part of parts) {
    const [, atom, quant] = /^(\[[^\]]+\]|\\.|[A-Za-z0-9_])(.*)$/.exec(part)!
    const chars = charsOf(atom!)
    if (!chars) return undefined
    let [min, max] = [1, 1]
    if (quant === '+') [min, max] = [1, 8]
    else if (quant === '*') [min, max] = [0, 8]
    else if (quant === '?') [min, max] = [0, 1]
    else if (quant) {
      const q = /^\{(\d+)(?:(,)(\d*))?\}$/.exec(quant)!
      min = Number(q[1])
      max = q[2] ? (q[3] ? Number(q[3]) : min + 8) : min
    }
    const n = rng.int(min, Math.min(max, min + 12))
    for (let i = 0; i < n; i++) out += rng.pick(chars)
  }
  return out
}

function charsOf(atom: string): string[] | undefined {
  if (atom === '\\d') return [...'0123456789']
  if (atom === '\\w') return [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_']
  if (atom.startsWith('\\')) return [atom[1]!]
  if (!atom.startsWith('[')) return [atom]
  const body = atom.slice(1, -1)
  if (body.startsWith('^')) return undefined
  const out: string[] = []
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c === '\\' && i + 1 < body.length) {
      out.push(...(charsOf(`\\${body[++i]}`) ?? []))
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let code = c.charCodeAt(0); code <= body.charCodeAt(i + 2); code++) out.push(String.fromCharCode(code))
      i += 2
    } else out.push(c)
  }
  return out.length ? out : undefined
}

function randomNumber(schema: Json, integer: boolean, rng: Rng): number {
  const exMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined
  const exMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined
  let min = schema.minimum ?? (exMin !== undefined ? exMin + (integer ? 1 : 1e-6) : undefined)
  let max = schema.maximum ?? (exMax !== undefined ? exMax - (integer ? 1 : 1e-6) : undefined)
  // Unbounded: stay near the example (prices, quantities) or small, as real callers would.
  const ex = typeof schema.example === 'number' ? Math.abs(schema.example) : undefined
  if (min === undefined && max === undefined) [min, max] = ex ? [ex * 0.5, ex * 1.5] : [0, 100]
  else if (min === undefined) min = Math.min(0, max!)
  else if (max === undefined) max = min + Math.max(10, ex ?? 100)
  if (integer) {
    const lo = Math.ceil(min!)
    const hi = Math.floor(max!)
    // Bounds are where servers go wrong: pick them now and then.
    const r = rng.next()
    return r < 0.15 ? lo : r < 0.3 ? hi : rng.int(lo, Math.min(hi, lo + 10_000))
  }
  let v = min! + rng.next() * (max! - min!)
  if (typeof schema.multipleOf === 'number') v = Math.round(v / schema.multipleOf) * schema.multipleOf
  return Number(v.toPrecision(6))
}

/** A random value meant to satisfy `raw` (the caller validates it). `depth` bounds recursion. */
export function generateValid(doc: Json, raw: unknown, rng: Rng, depth = 0): Generated {
  const v = generate(doc, raw, rng, depth)
  return v === NO_VALUE ? undefined : v
}

function generate(doc: Json, raw: unknown, rng: Rng, depth: number): Generated | typeof NO_VALUE {
  const schema = resolveSchema(doc, raw)
  if (schema.const !== undefined) return schema.const
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum)
  if (schema.oneOf || schema.anyOf) return generate(doc, rng.pick(schema.oneOf ?? schema.anyOf), rng, depth + 1)
  // Nullable: mostly a real value, null sometimes.
  if (Array.isArray(schema.type) && schema.type.includes('null') && rng.chance(0.15)) return null
  const type = primaryType(schema)
  if (depth > 6) return exampleOf(doc, schema) ?? NO_VALUE
  switch (type) {
    case 'null':
      return null
    case 'boolean':
      return rng.chance(0.5)
    case 'integer':
      return randomNumber(schema, true, rng)
    case 'number':
      return randomNumber(schema, false, rng)
    case 'string':
      return randomString(schema, rng)
    case 'array': {
      const min = schema.minItems ?? 0
      const max = Math.min(schema.maxItems ?? min + 3, min + 3)
      const n = rng.int(min, max)
      const out: unknown[] = []
      for (let i = 0; i < n * 3 && out.length < n; i++) {
        const item = generate(doc, schema.items ?? {}, rng, depth + 1)
        if (item === NO_VALUE) continue
        if (schema.uniqueItems && out.some((o) => JSON.stringify(o) === JSON.stringify(item))) continue
        out.push(item)
      }
      return out
    }
    case 'object': {
      const out: Json = {}
      const required = new Set<string>(schema.required ?? [])
      for (const [name, prop] of Object.entries((schema.properties ?? {}) as Json)) {
        if (!required.has(name) && !rng.chance(0.5)) continue
        const p = resolveSchema(doc, prop)
        if (p.readOnly) continue
        const v = generate(doc, prop, rng, depth + 1)
        if (v !== NO_VALUE && v !== undefined) out[name] = v
      }
      return out
    }
    default:
      return exampleOf(doc, schema) ?? NO_VALUE
  }
}

function randomString(schema: Json, rng: Rng): string {
  const ex = typeof schema.example === 'string' ? schema.example : undefined
  switch (schema.format) {
    case 'date-time':
      return new Date(BASE_TIME + rng.int(-30, 30) * 86_400_000 + rng.int(0, 86_399) * 1000).toISOString()
    case 'date':
      return new Date(BASE_TIME + rng.int(-30, 30) * 86_400_000).toISOString().slice(0, 10)
    case 'uuid':
      return '00000000-0000-4000-8000-'.concat(String(rng.int(0, 999_999_999_999)).padStart(12, '0'))
    case 'email':
      return `user${rng.int(0, 9999)}@example.com`
    case 'uri':
      return `https://example.com/${rng.int(0, 9999)}`
  }
  if (schema.pattern) {
    // The example first, half of the time: it is what the contract's author meant.
    if (ex && rng.chance(0.5)) return ex
    return fromPattern(schema.pattern, rng) ?? ex ?? 'a'
  }
  const min = schema.minLength ?? 1
  const max = Math.min(schema.maxLength ?? min + 12, min + 12)
  if (ex && ex.length >= min && ex.length <= (schema.maxLength ?? Infinity) && rng.chance(0.4)) return ex
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let s = ''
  for (let i = rng.int(min, max); i > 0; i--) s += alphabet[rng.int(0, alphabet.length - 1)]
  return s
}
