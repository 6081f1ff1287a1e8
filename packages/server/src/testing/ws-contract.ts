// Test-only: the AsyncAPI description of /v1/ws (openapi/smc-trading.ws.yaml) as a validator. Every
// message payload `$ref`s a schema of openapi/components/schemas/*.yaml that the OpenAPI root also
// lists under the same name, so payloads are checked against the bundled contract's components.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'
import WebSocket from 'ws'
import bundled from '../generated/openapi.json' with { type: 'json' }

type Json = Record<string, any>
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule
const ajv = new Ajv2020({ strict: false, allErrors: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)

export const OPENAPI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../openapi')
export const ASYNCAPI_FILE = resolve(OPENAPI_DIR, 'smc-trading.ws.yaml')
export const asyncApi: Json = parse(readFileSync(ASYNCAPI_FILE, 'utf8'))
const root: Json = parse(readFileSync(resolve(OPENAPI_DIR, 'smc-trading.yaml'), 'utf8'))
const contract = bundled as Json

const pointer = (doc: Json, ptr: string): unknown =>
  ptr
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<any>((acc, k) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)

/** Every `$ref` in a document, with where it was found. */
function refsOf(node: unknown, at = '#', out: { at: string; ref: string }[] = []): { at: string; ref: string }[] {
  if (Array.isArray(node)) node.forEach((n, i) => refsOf(n, `${at}/${i}`, out))
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ at, ref: v })
      else refsOf(v, `${at}/${k}`, out)
    }
  return out
}

const fileCache = new Map<string, Json>()
const loadYaml = (file: string): Json => {
  let doc = fileCache.get(file)
  if (!doc) fileCache.set(file, (doc = parse(readFileSync(file, 'utf8')) as Json))
  return doc
}

/** The OpenAPI component name of an external payload ref (`./components/schemas/stream.yaml#/X` → X). */
function componentName(ref: string): string | undefined {
  const m = /^\.\/(components\/schemas\/[\w-]+\.yaml)#\/(\w+)$/.exec(ref)
  if (!m) return undefined
  const listed = root.components?.schemas?.[m[2]!]?.$ref
  return listed === `${m[1]}#/${m[2]}` ? m[2] : undefined
}

/**
 * Problems of the AsyncAPI document: unresolvable `$ref`s (internal, and external into the schema
 * files, followed recursively), payloads not listed under the same name in the OpenAPI root.
 */
export function asyncApiProblems(): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  const follow = (file: string, doc: Json): void => {
    for (const { at, ref } of refsOf(doc)) {
      const [target, ptr = ''] = ref.split('#')
      const targetFile = target ? resolve(dirname(file), target) : file
      let targetDoc: Json
      try {
        targetDoc = target ? loadYaml(targetFile) : doc
      } catch {
        problems.push(`${file.replace(`${OPENAPI_DIR}/`, '')} ${at}: cannot read ${target}`)
        continue
      }
      if (pointer(targetDoc, `#${ptr}`) === undefined) problems.push(`${file.replace(`${OPENAPI_DIR}/`, '')} ${at}: ${ref} does not resolve`)
      else if (target && !seen.has(targetFile)) {
        seen.add(targetFile)
        follow(targetFile, targetDoc)
      }
    }
  }
  follow(ASYNCAPI_FILE, asyncApi)
  for (const [name, m] of Object.entries(asyncApi.components?.messages ?? {}) as [string, Json][]) {
    const ref = m.payload?.$ref
    if (typeof ref !== 'string') problems.push(`message ${name}: payload must $ref a component schema`)
    else if (!componentName(ref)) problems.push(`message ${name}: ${ref} is not listed under that name in smc-trading.yaml components.schemas`)
  }
  return problems
}

/** The component messages of the operations with `action` (send: server → client; receive: client → server). */
function messagesOf(action: 'send' | 'receive'): Json[] {
  const out: Json[] = []
  for (const op of Object.values(asyncApi.operations ?? {}) as Json[]) {
    if (op.action !== action) continue
    for (const m of op.messages ?? []) {
      const channelMessage = pointer(asyncApi, m.$ref) as Json
      out.push(pointer(asyncApi, channelMessage.$ref) as Json)
    }
  }
  return out
}

const validators = new Map<string, ValidateFunction>()
function validatorOf(schemaName: string): ValidateFunction {
  let v = validators.get(schemaName)
  if (!v) validators.set(schemaName, (v = ajv.compile({ $ref: `#/components/schemas/${schemaName}`, components: contract.components })))
  return v
}

/** Server frame `type` → payload schema name, from the document's `send` operations. */
export const serverMessageSchemas: ReadonlyMap<string, string> = new Map(
  messagesOf('send').map((m) => {
    const name = componentName(m.payload.$ref)!
    return [contract.components.schemas[name].properties.type.enum[0] as string, name]
  }),
)
const clientMessageSchemas = messagesOf('receive').map((m) => componentName(m.payload.$ref)!)

/** Throws unless `frame` is a server message of the AsyncAPI document with a valid payload. */
export function assertServerFrame(frame: unknown): void {
  const type = (frame as Json)?.type
  const name = serverMessageSchemas.get(type)
  if (!name) throw new Error(`server sent a frame of type ${JSON.stringify(type)}, which smc-trading.ws.yaml does not describe`)
  const v = validatorOf(name)
  if (!v(frame)) throw new Error(`${type} frame does not match ${name}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(frame).slice(0, 500)}`)
}

/** Throws unless `msg` matches one of the client messages of the AsyncAPI document. */
export function assertClientMessage(msg: unknown): void {
  if (clientMessageSchemas.some((name) => validatorOf(name)(msg))) return
  throw new Error(`client message matches no message of smc-trading.ws.yaml: ${JSON.stringify(msg).slice(0, 300)}`)
}

/**
 * A `ws` WebSocket class for SDK tests: every frame received and every message sent is checked
 * against the AsyncAPI document; mismatches are collected in `failures` (a throw inside a socket
 * callback would be lost).
 */
export function contractWebSocket(failures: string[]): new (url: string) => WebSocket {
  return class ContractWebSocket extends WebSocket {
    constructor(url: string) {
      super(url)
      this.on('message', (raw) => {
        try {
          assertServerFrame(JSON.parse(raw.toString()))
        } catch (e) {
          failures.push((e as Error).message)
        }
      })
    }

    override send(data: unknown, ...rest: unknown[]): void {
      try {
        assertClientMessage(JSON.parse(String(data)))
      } catch (e) {
        failures.push((e as Error).message)
      }
      ;(super.send as (...a: unknown[]) => void)(data, ...rest)
    }
  }
}
