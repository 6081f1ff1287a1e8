// The reference half of `pnpm bench ws-saturation`: a bare `ws` server in its own process that
// broadcasts the same market_data_update frames to every client, serialised once per tick into one
// Buffer, with nothing else (no auth, no channels, no per-connection seq, no counters, no journal).
// What the hub reaches as a fraction of this is the cost of its logic.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure, runFeed } from './feed'
import type { FromServer, ToServer } from './protocol'

interface BareSocket {
  send(data: Buffer, opts: { binary: boolean }): void
}
const here = dirname(fileURLToPath(import.meta.url))
// `ws` is a dependency of the server package, not of the workspace root.
const { WebSocketServer } = createRequire(join(here, '../../../packages/server/package.json'))('ws') as {
  WebSocketServer: new (opts: object) => { clients: Set<BareSocket>; close(): void }
}

const send = (m: FromServer): void => void process.send!(m)
const symbols = (process.env.BENCH_SYMBOL_LIST ?? '').split(',')
// The same figures the hub sends (the simulated market's first prices are close enough).
const prices = symbols.map((_, i) => 100 + i * 10)
const http = createServer()
const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
const { port } = http.address() as { port: number }
send({ type: 'ready', wsUrl: `ws://127.0.0.1:${port}/`, tokens: [], symbols })

let n = 0
// Text frames, as the hub sends (a Buffer is sent as binary unless told otherwise).
const TEXT = { binary: false }
async function run(seconds: number, rate: number): Promise<void> {
  const m = measure()
  const ticks = await runFeed(symbols, rate, seconds, (s, due) => {
    const symbol = symbols[s]!
    const price = Math.round(prices[s]! * (1 + (Math.random() - 0.5) * 1e-4) * 100) / 100
    const ts = new Date(due).toISOString()
    const data = { symbol, price, bid: price - 0.01, ask: price + 0.01, volume_24h: 12345.678, change_24h: 1.23, timestamp: ts }
    const frame = Buffer.from(JSON.stringify({ seq: 0, type: 'market_data_update', channel: `market_data.${symbol}`, data, timestamp: ts, id: `b_${(++n).toString(36)}` }))
    for (const ws of wss.clients) ws.send(frame, TEXT)
  }).done
  send({ type: 'done', ticks, ...m.end() })
}

process.on('message', async (msg: ToServer) => {
  if (msg.type === 'start') await run(msg.seconds, msg.rate)
  if (msg.type === 'stop') {
    wss.close()
    http.close()
    process.exit(0)
  }
})
