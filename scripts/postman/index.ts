// Build step: write the Postman collection of the bundled contract to dist/postman/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { postmanCollection, requestsOf } from './collection'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const contract = JSON.parse(readFileSync(join(root, 'packages/server/src/generated/openapi.json'), 'utf8')) as unknown
const collection = await postmanCollection(contract)
const out = join(root, 'dist/postman/smc-trading.postman_collection.json')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(collection, null, 2)}\n`)
console.log(`wrote dist/postman/smc-trading.postman_collection.json (${requestsOf(collection.item).length} requests)`)
