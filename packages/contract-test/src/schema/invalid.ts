// Invalid inputs derived from a schema and a valid value: a required field missing, a field of the
// wrong type, a number out of range, an unknown enum value. The caller keeps only those ajv rejects.
import type { Json } from '../documents'
import { resolveSchema } from './generate'

export interface InvalidVariant {
  /** What is wrong, for the report: `missing required field "symbol"`. */
  label: string
  value: unknown
}

/** A value of another JSON type than the schema allows. */
export function wrongTypeOf(schema: Json): unknown {
  const types = new Set<string>(Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [])
  if (!types.has('string')) return 'not-a-number'
  if (!types.has('number') && !types.has('integer')) return 12345
  if (!types.has('boolean')) return true
  return { wrong: 'type' }
}

/** Out-of-range numbers (below minimum, above maximum), non-integers for integers. */
export function outOfRangeOf(schema: Json): InvalidVariant[] {
  const out: InvalidVariant[] = []
  if (typeof schema.minimum === 'number') out.push({ label: `below minimum ${schema.minimum}`, value: schema.minimum - 1 })
  if (typeof schema.exclusiveMinimum === 'number') out.push({ label: `at exclusive minimum ${schema.exclusiveMinimum}`, value: schema.exclusiveMinimum })
  if (typeof schema.maximum === 'number') out.push({ label: `above maximum ${schema.maximum}`, value: schema.maximum + 1 })
  if (typeof schema.exclusiveMaximum === 'number') out.push({ label: `at exclusive maximum ${schema.exclusiveMaximum}`, value: schema.exclusiveMaximum })
  return out
}

/** Invalid variants of one parameter's value (query or path). */
export function invalidParameterValues(doc: Json, raw: unknown): InvalidVariant[] {
  const schema = resolveSchema(doc, raw)
  const out: InvalidVariant[] = []
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes('integer') || types.includes('number')) {
    out.push({ label: 'not a number', value: 'abc' })
    if (types.includes('integer') && !types.includes('number')) out.push({ label: 'not an integer', value: '1.5' })
    out.push(...outOfRangeOf(schema))
  }
  if (types.includes('boolean')) out.push({ label: 'not a boolean', value: 'maybe' })
  if (Array.isArray(schema.enum)) out.push({ label: 'unknown enum value', value: 'not_a_known_value' })
  if (schema.format === 'date-time') out.push({ label: 'not a date-time', value: 'yesterday-ish' })
  if (typeof schema.pattern === 'string') out.push({ label: `not matching ${schema.pattern}`, value: 'bad value!' })
  if (typeof schema.maxLength === 'number') out.push({ label: `longer than ${schema.maxLength}`, value: 'x'.repeat(schema.maxLength + 1) })
  return out
}

/** Invalid variants of a request body: top level and one level into object properties. */
export function invalidBodies(doc: Json, raw: unknown, valid: unknown): InvalidVariant[] {
  const schema = resolveSchema(doc, raw)
  const out: InvalidVariant[] = [{ label: 'body of the wrong type (an array)', value: [] }]
  if (!valid || typeof valid !== 'object' || Array.isArray(valid)) return out
  const base = valid as Json
  for (const name of (schema.required ?? []) as string[]) {
    const { [name]: _dropped, ...rest } = base
    out.push({ label: `missing required field "${name}"`, value: rest })
  }
  for (const [name, rawProp] of Object.entries((schema.properties ?? {}) as Json)) {
    const prop = resolveSchema(doc, rawProp)
    if (prop.readOnly) continue
    out.push({ label: `field "${name}" of the wrong type`, value: { ...base, [name]: wrongTypeOf(prop) } })
    for (const v of outOfRangeOf(prop)) out.push({ label: `field "${name}" ${v.label}`, value: { ...base, [name]: v.value } })
    if (Array.isArray(prop.enum)) out.push({ label: `field "${name}" with an unknown enum value`, value: { ...base, [name]: 'not_a_known_value' } })
  }
  if (schema.additionalProperties === false) out.push({ label: 'an unknown field', value: { ...base, not_a_field: 1 } })
  return out
}
