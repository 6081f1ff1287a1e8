// A load-generating process of `pnpm bench ws-saturation` (the bench forks two or more): holds its
// share of the clients of both servers and, per step, counts market_data_update frames per client,
// checks the hub's per-connection seq, and fills a latency histogram (due time of the tick → frame
// read here). It reads the few bytes it needs from each frame's Buffer instead of parsing it, so
// the clients cost as little of the shared 2 cores as possible; its own CPU is reported per step.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUCKETS, BUCKET_US, sparse } from './histogram'
import type { FromClients, Side, ToClients } from './protocol'

interface WebSocketType {
  on(event: 'message', listener: (raw: Buffer) => void): void
  on(event: 'open' | 'close', listener: () => void): void
  once(event: 'error', listener: (e: Error) => void): void
  send(data: string): void
  terminate(): void
}
const here = dirname(fileURLToPath(import.meta.url))
const WebSocket = createRequire(join(here, '../../../packages/server/package.json'))('ws') as new (url: string, opts: object) => WebSocketType

const send = (m: FromClients): void => void process.send!(m)
const now = (): number => performance.timeOrigin + performance.now()

interface Client {
  ws: WebSocketType
  received: number
  seq: number
}
const clients: Record<Side, Client[]> = { hub: [], bare: [] }
const hist = new Uint32Array(BUCKETS)
let over = 0
let maxUs = 0
let seqGaps = 0
let closed = 0
let cpu0 = process.cpuUsage()
let t0 = performance.now()

const SEQ = Buffer.from('{"seq":')
const TS = Buffer.from('"timestamp":"')
// `YYYY-MM-DDTHH:MM` of the last timestamp seen and its epoch ms: one Date.parse per minute.
let minuteKey = ''
let minuteMs = 0

const digit = (b: number): number => b - 48
/** Epoch ms of the ISO timestamp at `at` in `buf` (`YYYY-MM-DDTHH:MM:SS.mmmZ`). */
function timestampAt(buf: Buffer, at: number): number {
  const key = buf.toString('latin1', at, at + 16)
  if (key !== minuteKey) {
    minuteKey = key
    minuteMs = Date.parse(`${key}:00.000Z`)
  }
  const s = digit(buf[at + 17]!) * 10 + digit(buf[at + 18]!)
  const ms = digit(buf[at + 20]!) * 100 + digit(buf[at + 21]!) * 10 + digit(buf[at + 22]!)
  return minuteMs + s * 1000 + ms
}

function onFrame(c: Client, side: Side, buf: Buffer): boolean {
  // `{"seq":N,"type":"m…` — market_data_update is the only frame type starting with "m".
  let i = SEQ.length
  let seq = 0
  for (let b = buf[i]!; b >= 48 && b <= 57; b = buf[++i]!) seq = seq * 10 + b - 48
  if (side === 'hub') {
    if (seq !== c.seq + 1) seqGaps++
    c.seq = seq
  }
  if (buf[i + 9] !== 109 /* m */) return false
  const at = now()
  c.received++
  const ts = buf.indexOf(TS, i)
  const us = (at - timestampAt(buf, ts + TS.length)) * 1000
  if (us > maxUs) maxUs = us
  const bucket = Math.floor(us / BUCKET_US)
  if (bucket < BUCKETS) hist[bucket < 0 ? 0 : bucket]!++
  else over++
  return true
}

function open(side: Side, url: string, symbols: string[]): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const c: Client = { ws, received: 0, seq: 0 }
    let ready = false
    ws.on('message', (buf: Buffer) => {
      if (onFrame(c, side, buf) || ready) return
      const f = JSON.parse(buf.toString()) as { type: string; data: unknown }
      if (f.type === 'authenticated') ws.send(JSON.stringify({ action: 'subscribe', channels: symbols.map((s) => `market_data.${s}`) }))
      else if (f.type === 'subscribed') {
        ready = true
        resolve(c)
      } else if (f.type === 'error') reject(new Error(JSON.stringify(f.data)))
    })
    if (side === 'bare')
      ws.on('open', () => {
        ready = true
        resolve(c)
      })
    ws.once('error', reject)
    ws.on('close', () => closed++)
  })
}

async function collect(side: Side, expected: number, drainMs: number): Promise<FromClients> {
  const mine = clients[side]
  const behind = (): number => mine.reduce((n, c) => n + Math.max(0, expected - c.received), 0)
  const until = performance.now() + drainMs
  while (behind() > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 10))
  const cpu = process.cpuUsage(cpu0)
  return {
    type: 'collected',
    received: mine.reduce((n, c) => n + c.received, 0),
    lost: behind(),
    seqGaps,
    closed,
    hist: sparse(hist),
    over,
    maxUs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - t0,
  }
}

process.on('message', async (m: ToClients) => {
  switch (m.type) {
    case 'connect': {
      const started = performance.now()
      for (let i = 0; i < m.count; i += 50) {
        const batch = Array.from({ length: Math.min(50, m.count - i) }, (_, k) => {
          const token = m.tokens[Math.floor((i + k) / 10)]
          return open(m.side, token === undefined ? m.url : `${m.url}?token=${token}`, m.symbols)
        })
        clients[m.side].push(...(await Promise.all(batch)))
      }
      send({ type: 'connected', side: m.side, ms: performance.now() - started })
      break
    }
    case 'reset':
      for (const c of [...clients.hub, ...clients.bare]) c.received = 0
      hist.fill(0)
      over = maxUs = seqGaps = closed = 0
      cpu0 = process.cpuUsage()
      t0 = performance.now()
      send({ type: 'reset' })
      break
    case 'collect':
      send(await collect(m.side, m.expectedPerClient, m.drainMs))
      break
    case 'stop':
      for (const c of [...clients.hub, ...clients.bare]) c.ws.terminate()
      process.exit(0)
  }
})
