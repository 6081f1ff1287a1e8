// Test-only: a reverse proxy on an ephemeral localhost port that passes HTTP requests through to a
// real server but mishandles WebSocket upgrades the way some proxies do: answering them with an
// HTTP status (e.g. 404), or holding them without an answer ('hang').
import { createServer, request } from 'node:http'
import type { Socket } from 'node:net'

export interface UpgradeProxy {
  /** The proxy's origin, to use as an SDK `baseUrl`. */
  url: string
  /** Upgrade requests received so far. */
  readonly upgrades: number
  /** Upgrade sockets the client still holds open. */
  openUpgrades(): number
  close(): Promise<void>
}

export async function upgradeProxy(target: string, upgrade: 'hang' | number): Promise<UpgradeProxy> {
  const to = new URL(target)
  const held = new Set<Socket>()
  let upgrades = 0
  const server = createServer((req, res) => {
    const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  server.on('upgrade', (_req, socket: Socket) => {
    upgrades++
    held.add(socket)
    socket.on('close', () => held.delete(socket))
    socket.on('error', () => {})
    // The server's sockets are half-open capable: without this, one the client closed never closes here.
    socket.on('end', () => socket.destroy())
    if (upgrade !== 'hang') socket.end(`HTTP/1.1 ${upgrade} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    get upgrades() {
      return upgrades
    },
    openUpgrades: () => held.size,
    async close() {
      for (const s of held) s.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
