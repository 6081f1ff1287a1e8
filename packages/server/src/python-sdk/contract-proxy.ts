// Test-only: the server as the Python SDK's suite sees it, every exchange checked against the
// contract. HTTP: the app's fetch wrapped with the contract check. The stream: a WebSocket proxy in
// front of /v1/ws that checks each frame both ways against smc-trading.ws.yaml and that the suite
// can tell to drop its connections or refuse new ones (to exercise reconnect and resume).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import WebSocket, { WebSocketServer } from 'ws'
import type { App } from '../api'
import { assertClientMessage, assertMatchesContract, assertServerFrame } from '../testing'

/** `app` answering as before, each response checked; mismatches are pushed to `failures`. */
export function contractCheckedApp(app: App, failures: string[], seen: { count: number }): App {
  const fetch = async (req: Request, env?: unknown): Promise<Response> => {
    const res = await app.fetch(req, env as never)
    const text = await res.clone().text()
    const url = new URL(req.url)
    let body: unknown = text
    if ((res.headers.get('content-type') ?? '').includes('json')) body = text === '' ? undefined : JSON.parse(text)
    seen.count++
    try {
      assertMatchesContract(req.method, url.pathname, res.status, res.headers, body)
    } catch (e) {
      failures.push((e as Error).message)
    }
    return res
  }
  return { fetch } as unknown as App
}

export interface StreamProxy {
  /** `ws://127.0.0.1:<port>/v1/ws`: where the suite's stream connects. */
  wsUrl: string
  /** `http://127.0.0.1:<port>`: POST /drop (close every proxied socket abruptly), /block, /unblock. */
  controlUrl: string
  /** Frames checked so far. */
  frames: number
  close(): Promise<void>
}

/** A checking WebSocket proxy to `upstream` (the hub's `ws://…/v1/ws`). */
export async function streamProxy(upstream: string, failures: string[]): Promise<StreamProxy> {
  const wss = new WebSocketServer({ noServer: true })
  const pairs = new Set<{ client: WebSocket; server: WebSocket }>()
  let blocked = false
  const state = { frames: 0 }
  const check = (what: string, fn: () => void): void => {
    try {
      fn()
    } catch (e) {
      failures.push(`${what}: ${(e as Error).message}`)
    }
  }
  const http: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/drop') {
      // terminate(): no close frame, as a lost network would (the client sees 1006).
      for (const p of pairs) {
        p.client.terminate()
        p.server.close()
      }
      pairs.clear()
    } else if (req.method === 'POST' && req.url === '/block') blocked = true
    else if (req.method === 'POST' && req.url === '/unblock') blocked = false
    else {
      res.writeHead(404).end()
      return
    }
    res.writeHead(204).end()
  })
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (blocked) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      return
    }
    const query = (req.url ?? '').split('?')[1]
    const server = new WebSocket(query ? `${upstream}?${query}` : upstream)
    server.once('unexpected-response', (_r, res) => {
      socket.end(`HTTP/1.1 ${res.statusCode} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    })
    server.once('error', () => socket.destroy())
    server.once('open', () => {
      wss.handleUpgrade(req, socket, head, (client) => {
        const pair = { client, server }
        pairs.add(pair)
        server.on('message', (raw) => {
          state.frames++
          check('server frame', () => assertServerFrame(JSON.parse(raw.toString())))
          if (client.readyState === WebSocket.OPEN) client.send(raw.toString())
        })
        client.on('message', (raw) => {
          check('client message', () => assertClientMessage(JSON.parse(raw.toString())))
          if (server.readyState === WebSocket.OPEN) server.send(raw.toString())
        })
        const sendable = (code: number): number => (code >= 1000 && code <= 4999 && ![1004, 1005, 1006, 1015].includes(code) ? code : 1000)
        server.on('close', (code, reason) => {
          pairs.delete(pair)
          if (client.readyState === WebSocket.OPEN) client.close(sendable(code), reason.toString())
        })
        client.on('close', (code, reason) => {
          pairs.delete(pair)
          if (server.readyState === WebSocket.OPEN) server.close(sendable(code), reason.toString())
        })
        client.on('error', () => server.terminate())
      })
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
    controlUrl: `http://127.0.0.1:${port}`,
    get frames() {
      return state.frames
    },
    async close() {
      for (const p of pairs) {
        p.client.terminate()
        p.server.terminate()
      }
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
