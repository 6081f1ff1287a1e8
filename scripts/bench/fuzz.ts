// pnpm bench fuzz [--base-url URL --api-key K --admin-key K] [--requests N] [--seed S] [--concurrency C]
// A black-box fuzz of a running server with the suite's hostile-request generator (every operation of
// the contract), plus raw oversized request lines and headers over TCP. Without --base-url it starts
// the real server (packages/server/src/main.ts, what `npm start` runs) on a temp database, rate
// limits off (with them on, most answers would be 429s). Prints the figures; exits 1 on any problem.
import fc from 'fast-check'
import { connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import contract from '../../packages/server/src/generated/openapi.json' with { type: 'json' }
import { errorCodesOf, hostileRequest, listOperations, problemsOf, sendHostile } from '../../packages/server/src/testing/hostile'
import { DEMO_KEY, kill, startServer } from '../lib/server'

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    'base-url': { type: 'string' },
    'api-key': { type: 'string' },
    'admin-key': { type: 'string' },
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
  },
})
const ADMIN_KEY = 'smc_admin_fuzz_key_0123456789'
const doc = contract as Record<string, any>
const ops = listOperations(doc)
const byId = new Map(ops.map((op) => [op.operationId, op]))
const codes = errorCodesOf(doc)
const total = Number(args.requests)
const seed = Number(args.seed)

let dir: string | undefined
let server: Awaited<ReturnType<typeof startServer>> | undefined
let baseUrl = args['base-url']
if (!baseUrl) {
  dir = mkdtempSync(join(tmpdir(), 'smc-fuzz-'))
  server = await startServer(join(dir, 'fuzz.db'), { SMC_ADMIN_API_KEY: ADMIN_KEY })
  baseUrl = `http://127.0.0.1:${server.port}`
}
const apiKey = args['api-key'] ?? DEMO_KEY
const adminKey = args['admin-key'] ?? ADMIN_KEY

try {
  const tokenRes = await fetch(`${baseUrl}/v1/auth/generate-token`, {
    method: 'POST',
    headers: { 'X-API-Key': adminKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: 'fuzz', permissions: doc.components.schemas.Scope.enum }),
  })
  if (!tokenRes.ok) throw new Error(`cannot get a token with the admin key: ${tokenRes.status} ${await tokenRes.text()}`)
  const pair = (await tokenRes.json()) as { token: string; refresh_token: string }
  const creds = { token: pair.token, apiKey, refreshToken: pair.refresh_token }

  const requests = fc.sample(hostileRequest(doc, ops), { seed, numRuns: total })
  const statuses = new Map<number, number>()
  const kinds = new Map<string, number>()
  const problems: string[] = []
  let transportErrors = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: Number(args.concurrency) }, async () => {
      while (next < requests.length) {
        const req = requests[next++]!
        const op = byId.get(req.operationId)!
        kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1)
        try {
          const answer = await sendHostile(fetch, baseUrl!, req, op, creds)
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
          for (const p of problemsOf(answer, op, codes)) problems.push(`${req.method} ${op.template} [${req.kind}: ${req.note}] → ${p}`)
        } catch (e) {
          transportErrors++
          problems.push(`${req.method} ${op.template} [${req.kind}: ${req.note}] → no answer: ${(e as Error).message}`)
        }
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000

  // Node's own limits: a 1 MB path and a 1 MB header, straight over TCP (fetch would refuse to send them).
  const { hostname, port } = new URL(baseUrl)
  let raw = 0
  for (let i = 0; i < 20; i++) {
    const big = 'A'.repeat(1 << 20)
    const text = i % 2 === 0 ? `GET /v1/market-data/${big} HTTP/1.1\r\nHost: x\r\n\r\n` : `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`
    const expected = i % 2 === 0 ? 414 : 431
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) })
      let got = ''
      socket.on('data', (d) => (got += d.toString()))
      socket.on('end', () => resolve(got))
      socket.on('error', () => resolve(got))
      socket.write(text)
    })
    raw++
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const body = answer.split('\r\n\r\n')[1] ?? ''
    if (status !== expected) problems.push(`raw ${expected === 414 ? '1 MB path' : '1 MB header'} → status ${status || 'none (connection reset)'}`)
    else if (!/"error":\{"code":"(URI_TOO_LONG|HEADERS_TOO_LARGE)"/.test(body) || !/X-Request-Id: /.test(answer)) problems.push(`raw ${expected} → not the envelope with a request id`)
  }

  const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)
  console.log(`fuzz: seed ${seed}, ${requests.length} generated requests over ${ops.length} operations + ${raw} raw over TCP, ${baseUrl}`)
  console.log(`kinds: ${[...kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`)
  console.log(`statuses: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`)
  console.log(`${(requests.length / elapsed).toFixed(0)} requests/s over ${args.concurrency} connections`)
  for (const p of problems.slice(0, 20)) console.log(`  problem: ${p}`)
  console.log(
    `requests=${requests.length + raw} 5xx=${fivexx} problems=${problems.length} no_answer=${transportErrors} ` +
      `undeclared=${problems.filter((p) => p.includes('not declared')).length} outside_envelope=${problems.filter((p) => p.includes('envelope') || p.includes('not JSON')).length}`,
  )
  if (problems.length > 0) process.exitCode = 1
} finally {
  if (server) await kill(server.child)
  if (dir) rmSync(dir, { recursive: true, force: true })
}
