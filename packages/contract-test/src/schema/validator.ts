// ajv (JSON Schema 2020-12) over the contract's components: `#/components/...` refs resolve from a
// wrapper carrying them, and each failure names the instance path and the schema path.
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { Json } from '../documents'

type AjvInstance = import('ajv/dist/2020.js').default
type ValidateFunction = ReturnType<AjvInstance['compile']>
// Both modules are CommonJS with a `default`: take it whichever way the loader wrapped them.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as new (o: object) => AjvInstance
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: AjvInstance) => void

export interface SchemaProblem {
  /** Where in the value (`/orders/0/price`). */
  instancePath: string
  /** Where in the contract (`#/components/schemas/Order/properties/price/type`). */
  schemaPath: string
  message: string
}

export class ContractValidator {
  private readonly ajv: AjvInstance
  private readonly cache = new Map<string, ValidateFunction>()

  /** Every schema object of the document → its JSON pointer, to name where a failure is. */
  private readonly where = new Map<object, string>()
  private readonly components: Json

  constructor(document: Json) {
    this.components = document.components ?? {}
    // verbose: each error carries its parent schema object, found in `where` by identity.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true })
    addFormats(this.ajv)
    const index = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object' || this.where.has(node)) return
      this.where.set(node, at)
      for (const [k, v] of Object.entries(node)) index(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    }
    index(document.components, '#/components')
    index(document.paths, '#/paths')
  }

  private compile(key: string, schema: Json): ValidateFunction {
    let v = this.cache.get(key)
    if (!v) {
      v = this.ajv.compile({ ...schema, components: this.components })
      this.cache.set(key, v)
    }
    return v
  }

  /**
   * Problems of `value` against `schema` (`key` names the schema for the compile cache, and is where
   * a schema path starts when the schema is not a `$ref`: e.g. `#/paths/~1v1~1orders/get/responses/200`).
   */
  validate(key: string, schema: Json, value: unknown): SchemaProblem[] {
    const v = this.compile(key, schema)
    if (v(value)) return []
    return (v.errors ?? []).map((e) => {
      const parent = e.parentSchema ? this.where.get(e.parentSchema) : undefined
      const schemaPath = parent ? `${parent}/${e.keyword}` : `${typeof schema.$ref === 'string' ? schema.$ref : key}${e.schemaPath.slice(1)}`
      const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as Json).additionalProperty)})` : e.keyword === 'enum' ? ` (${JSON.stringify((e.params as Json).allowedValues).slice(0, 120)})` : ''
      return { instancePath: e.instancePath || '/', schemaPath, message: `${e.message ?? e.keyword}${extra}` }
    })
  }

  /** True when `value` matches. */
  matches(key: string, schema: Json, value: unknown): boolean {
    return this.compile(key, schema)(value) === true
  }
}
