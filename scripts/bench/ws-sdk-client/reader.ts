// One reader process of `pnpm bench ws-sdk-client`: the SDK's StreamClient, or a bare `ws` socket
// that parses every frame with JSON.parse (the least any client does), reading the same frames
// from the same hub at the same time. Its CPU over the measured window is what is compared.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StreamClient, type WebSocketConstructor } from '../../../packages/sdk/src'

export type ToReader = { type: 'reset' } | { type: 'collect'; expected: number; drainMs: number } | { type: 'stop' }
export type FromReader = { type: 'ready' } | { type: 'reset' } | { type: 'collected'; received: number; cpuMs: number; wallMs: number; errors: string[] }

interface BareSocket {
  on(event: 'message', listener: (raw: Buffer) => void): void
  once(event: 'open', listener: () => void): void
  send(data: string): void
}
const here = dirname(fileURLToPath(import.meta.url))
const ws = createRequire(join(here, '../../../packages/server/package.json'))('ws') as {
  WebSocket: WebSocketConstructor & (new (url: string, opts?: object) => BareSocket)
}
const send = (m: FromReader): void => void process.send!(m)
const mode = process.env.BENCH_READER as 'sdk' | 'bare'
const url = process.env.BENCH_URL!
const token = process.env.BENCH_TOKEN!
const symbols = process.env.BENCH_SYMBOL_LIST!.split(',')

let received = 0
const errors: string[] = []
if (mode === 'sdk') {
  const stream = new StreamClient({ url, token, WebSocket: ws.WebSocket, reconnect: false })
  stream.on('market_data_update', () => void received++)
  stream.on('error', (e) => void errors.push(e.message))
  await stream.connect()
  for (const s of symbols) await stream.subscribe('market_data', s)
} else {
  const socket = new ws.WebSocket(`${url}?token=${token}`, { perMessageDeflate: false })
  await new Promise<void>((resolve) => {
    socket.on('message', (raw: Buffer) => {
      const f = JSON.parse(raw.toString()) as { type: string }
      if (f.type === 'market_data_update') received++
      else if (f.type === 'authenticated') socket.send(JSON.stringify({ action: 'subscribe', channels: symbols.map((s) => `market_data.${s}`) }))
      else if (f.type === 'subscribed') resolve()
    })
  })
}
send({ type: 'ready' })

let cpu0 = process.cpuUsage()
let t0 = performance.now()
process.on('message', async (m: ToReader) => {
  if (m.type === 'reset') {
    received = 0
    cpu0 = process.cpuUsage()
    t0 = performance.now()
    send({ type: 'reset' })
  } else if (m.type === 'collect') {
    const until = performance.now() + m.drainMs
    while (received < m.expected && performance.now() < until) await new Promise((r) => setTimeout(r, 5))
    const cpu = process.cpuUsage(cpu0)
    send({ type: 'collected', received, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, errors })
  } else process.exit(0)
})
