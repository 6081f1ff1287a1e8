// The bundled contract the tool checks against. The build copies the server's generated
// openapi.json and asyncapi.json next to the module, so the published package is self-contained.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Json = Record<string, any>

export interface ContractDocuments {
  /** The bundled OpenAPI 3.1 document (every `$ref` internal). */
  openapi: Json
  /** The bundled AsyncAPI 3 document of the WebSocket stream. */
  asyncapi: Json
}

/** The documents shipped in the package (`dist/openapi.json`, `dist/asyncapi.json`), or those in `dir`. */
export function loadBundledDocuments(dir = dirname(fileURLToPath(import.meta.url))): ContractDocuments {
  const read = (name: string): Json => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json
    } catch (e) {
      throw new Error(`cannot read the bundled ${name} in ${dir} (${(e as Error).message}); was the package built?`)
    }
  }
  return { openapi: read('openapi.json'), asyncapi: read('asyncapi.json') }
}

/** Resolve a local JSON pointer (`#/components/schemas/X`) in `doc`. */
export function resolvePointer(doc: Json, ref: string): any {
  return ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<any>((acc, k) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}

/** Follow `$ref`s until a non-reference object. */
export function deref(doc: Json, node: any): any {
  let n = node
  for (let i = 0; i < 20 && typeof n?.$ref === 'string'; i++) n = resolvePointer(doc, n.$ref)
  return n
}
