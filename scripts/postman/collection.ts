// The Postman (v2.1) collection of the contract, converted by Postman's own openapi-to-postmanv2.
// Insomnia, Bruno and Hoppscotch import the same file.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const converter = require('openapi-to-postmanv2') as {
  convert: (
    input: { type: 'json'; data: unknown },
    options: Record<string, unknown>,
    cb: (err: Error | null, result: { result: boolean; reason?: string; output?: { type: string; data: PostmanCollection }[] }) => void,
  ) => void
}

export interface PostmanItem {
  name: string
  item?: PostmanItem[]
  request?: { method: string; url: { raw?: string; path?: string[] } | string }
}

export interface PostmanCollection {
  info: { name: string; schema: string; description?: unknown }
  item: PostmanItem[]
  variable?: { key: string; value: string; type?: string }[]
  auth?: unknown
}

/**
 * Convert the bundled contract: one folder per tag, request bodies from the contract's examples,
 * `{{baseUrl}}` (default http://localhost:8000) and a `{{bearerToken}}` variable for the bearer scheme.
 *
 * @example
 * const collection = await postmanCollection(JSON.parse(readFileSync('packages/server/src/generated/openapi.json', 'utf8')))
 */
export async function postmanCollection(contract: unknown, baseUrl = 'http://localhost:8000'): Promise<PostmanCollection> {
  const collection = await new Promise<PostmanCollection>((resolve, reject) =>
    converter.convert(
      { type: 'json', data: structuredClone(contract) },
      { folderStrategy: 'Tags', requestParametersResolution: 'Example', exampleParametersResolution: 'Example', includeAuthInfoInExample: false },
      (err, result) => {
        if (err) return reject(err)
        if (!result.result || !result.output?.[0]) return reject(new Error(`openapi-to-postmanv2: ${result.reason ?? 'no output'}`))
        resolve(result.output[0].data)
      },
    ),
  )
  const vars = (collection.variable ?? []).filter((v) => v.key !== 'baseUrl')
  collection.variable = [{ key: 'baseUrl', value: baseUrl, type: 'string' }, ...vars]
  if (!collection.variable.some((v) => v.key === 'bearerToken')) collection.variable.push({ key: 'bearerToken', value: '', type: 'string' })
  return collection
}

/** Every request of a collection, folders flattened: `METHOD /path/:param`. */
export function requestsOf(items: PostmanItem[]): string[] {
  return items.flatMap((i) => {
    if (i.item) return requestsOf(i.item)
    if (!i.request) return []
    const url = i.request.url
    const path = typeof url === 'string' ? url.replace(/^\{\{baseUrl\}\}/, '') : `/${(url.path ?? []).join('/')}`
    return [`${i.request.method.toUpperCase()} ${path.split('?')[0]}`]
  })
}
