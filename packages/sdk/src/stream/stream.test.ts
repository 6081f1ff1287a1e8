import { afterEach, describe, expect, it } from 'vitest'
import NodeWebSocket, { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import { backoffDelay } from './backoff'
import { resolveWebSocket, streamUrl, type WebSocketConstructor } from './socket'
import { channelName } from './channels'
import { StreamClient } from './stream-client'

describe('stream helpers', () => {
  it('backoffDelay grows exponentially with equal jitter, capped', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(125)
    expect(backoffDelay(0, { random: () => 0.999999 })).toBe(250)
    expect(backoffDelay(3, { initialDelayMs: 100, random: () => 0.5 })).toBe(600)
    expect(backoffDelay(50, { maxDelayMs: 1000, random: () => 0 })).toBe(500)
    expect(backoffDelay(1e9, { maxDelayMs: 1000, random: () => 1 })).toBe(1000)
  })

  it('channelName and streamUrl', () => {
    expect(channelName('market_data', 'btc/usdt')).toBe('market_data.BTCUSDT')
    expect(channelName('orders.ethusdt')).toBe('orders.ETHUSDT')
    expect(channelName('system.health')).toBe('system.health')
    expect(channelName('trades')).toBe('trades')
    expect(streamUrl('http://localhost:8000')).toBe('ws://localhost:8000/v1/ws')
    expect(streamUrl('https://api.example.com/smc/')).toBe('wss://api.example.com/smc/v1/ws')
  })
})

// A scripted server standing in for a misbehaving peer.
type Script = (ws: ServerSocket, n: number) => void
const servers: WebSocketServer[] = []
const clients: StreamClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate()
    await new Promise((r) => s.close(r))
  }
})

async function fakeServer(script: Script): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  servers.push(wss)
  let n = 0
  wss.on('connection', (ws) => script(ws, ++n))
  await new Promise((r) => wss.once('listening', r))
  const addr = wss.address() as { port: number }
  return `ws://127.0.0.1:${addr.port}/v1/ws`
}

const iso = '2024-01-01T00:00:00.000Z'
/** Send the frames a real server opens with (connected, authenticated) and ack subscriptions. */
function greet(ws: ServerSocket, from = 1): { seq: number } {
  const state = { seq: from - 1 }
  const send = (type: string, data: object) => ws.send(JSON.stringify({ seq: ++state.seq, type, data, timestamp: iso, id: `m${state.seq}` }))
  send('authenticated', { user_id: 'demo', scopes: ['read_trades'], expires_at: iso, last_event_id: 'evt_ab_0' })
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString())
    if (m.type === 'subscribe') send('subscribed', { channels: m.channels ?? [m.channel], added: [], request_id: m.request_id, last_event_id: 'evt_ab_0' })
  })
  return state
}

function client(url: string, extra: Partial<ConstructorParameters<typeof StreamClient>[0]> = {}): StreamClient {
  const c = new StreamClient({ url, token: 't', reconnect: { initialDelayMs: 10, maxDelayMs: 20 }, ...extra })
  clients.push(c)
  return c
}

describe('WebSocket implementations', () => {
  it('the browser WebSocket and ws both fit (compile-time), and a global WebSocket is preferred', async () => {
    const browser: WebSocketConstructor | undefined = typeof globalThis.WebSocket === 'undefined' ? undefined : globalThis.WebSocket
    const node: WebSocketConstructor = NodeWebSocket
    void browser
    const g = globalThis as { WebSocket?: unknown }
    const before = g.WebSocket
    try {
      g.WebSocket = node // as in a browser: the platform's implementation, no import of ws
      expect(await resolveWebSocket()).toBe(node)
      delete g.WebSocket // Node 20: ws, imported on demand
      expect(await resolveWebSocket()).toBe(NodeWebSocket)
    } finally {
      if (before === undefined) delete g.WebSocket
      else g.WebSocket = before
    }
  })

  it('a client on the platform WebSocket (browser path) talks to a server', async () => {
    const url = await fakeServer((ws) => greet(ws))
    const g = globalThis as { WebSocket?: unknown }
    const before = g.WebSocket
    g.WebSocket = class extends NodeWebSocket {}
    try {
      const c = client(url)
      await c.connect()
      expect(await c.subscribe('trades')).toEqual(['trades'])
    } finally {
      if (before === undefined) delete g.WebSocket
      else g.WebSocket = before
    }
  })
})

describe('StreamClient with a misbehaving server', () => {
  it('treats a gap in seq as lost frames: reports PROTOCOL_ERROR and reconnects (resuming)', async () => {
    const subscribes: unknown[] = []
    const url = await fakeServer((ws, n) => {
      ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString())
        if (m.type === 'subscribe') subscribes.push(m)
      })
      const st = greet(ws)
      if (n === 1) setTimeout(() => ws.send(JSON.stringify({ seq: st.seq + 5, type: 'pong', data: { server_time: iso }, timestamp: iso, id: 'x' })), 20)
    })
    const c = client(url)
    const errors: string[] = []
    c.on('error', (e) => errors.push((e as { code?: string }).code ?? e.message))
    await c.connect()
    await c.subscribe('trades')
    await new Promise<void>((resolve) => c.on('connected', (i) => i.reconnected && resolve()))
    expect(errors).toContain('PROTOCOL_ERROR')
    // The reconnection resubscribed with the resume cursor from the first acknowledgement.
    expect(subscribes.at(-1)).toMatchObject({ type: 'subscribe', channels: ['trades'], last_event_id: 'evt_ab_0' })
  })

  it('replaces a connection that goes silent (heartbeat timeout)', async () => {
    let connections = 0
    const url = await fakeServer((ws) => {
      connections++
      greet(ws) // …and then never answers a ping
    })
    const c = client(url, { heartbeatMs: 30 })
    await c.connect()
    const dropped = await new Promise<{ code: number; reason: string }>((resolve) => c.on('disconnected', resolve))
    expect(dropped).toMatchObject({ code: 1006, reason: 'heartbeat timeout' })
    await new Promise<void>((resolve) => c.on('connected', () => resolve()))
    expect(connections).toBe(2)
  })

  it('close() during reconnection stops for good and ends iterators', async () => {
    const url = await fakeServer((ws) => ws.close(1011, 'nope'))
    const c = client(url, { reconnect: { initialDelayMs: 1000 } })
    const iter = c.messages()
    void c.connect().catch(() => undefined)
    await new Promise<void>((resolve) => c.on('reconnecting', () => resolve()))
    await c.close()
    expect(c.state).toBe('closed')
    expect(await iter.next()).toEqual({ value: undefined, done: true })
    await expect(c.connect()).rejects.toMatchObject({ code: 'STREAM_CLOSED' })
  })

  it('gives up after maxAttempts consecutive failures', async () => {
    const url = await fakeServer((ws) => ws.close(1011, 'nope'))
    const c = client(url, { reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } })
    let attempts = 0
    c.on('reconnecting', () => attempts++)
    const err = await c.connect().catch((e) => e)
    expect(err.code).toBe('CONNECTION_LOST')
    expect(attempts).toBe(3)
    expect(c.state).toBe('closed')
  })
})
