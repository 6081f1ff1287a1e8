import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type { Readable } from 'node:stream'
import { serve, type HttpBindings, type Http2Bindings } from '@hono/node-server'
import { createApp, type App } from './api'
import { answerClientErrors } from './client-errors'
import type { AppServices } from './services'
import type { StreamHub } from './ws'

export interface RunningServer {
  url: string
  /** `ws://host:port/v1/ws` when the stream hub is attached. */
  wsUrl: string
  port: number
  server: Server
  close(): Promise<void>
}

export interface ListenOptions {
  /** Serve the WebSocket hub on `/v1/ws` of the same port. */
  hub?: StreamHub
}

const BOM = 0xfeff

/** The request body as text, read straight from the node stream (UTF-8 decode, a leading BOM dropped, as `Request.text()`). */
function readText(incoming: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.once('end', () => {
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
      resolve(text.charCodeAt(0) === BOM ? text.slice(1) : text)
    })
    incoming.once('error', reject)
  })
}

/**
 * `app.fetch` for @hono/node-server: the request's `text()` (what Hono's `c.req.json()`/`text()`
 * read) comes straight from the node stream, so reading a JSON body does not materialize a WHATWG
 * Request (undici Request, ReadableStream adapter, AbortController) per request.
 */
function nodeFetch(app: App): (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response> {
  return (req, env) => {
    const incoming = env?.incoming
    if (incoming && req.method !== 'GET' && req.method !== 'HEAD') {
      let text: Promise<string> | undefined
      Object.defineProperty(req, 'text', { value: () => (text ??= readText(incoming)), configurable: true, writable: true })
    }
    return app.fetch(req, env)
  }
}

/** Serve the app over HTTP (and the hub over WebSocket); port 0 picks an ephemeral port (tests). */
export function listen(app: App, port: number, hostname: string, options: ListenOptions = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: nodeFetch(app), port, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      answerClientErrors(server as Server)
      const detach = options.hub?.attach(server as Server)
      resolve({
        url: `http://${host}:${info.port}`,
        wsUrl: `ws://${host}:${info.port}/v1/ws`,
        port: info.port,
        server: server as Server,
        close: async () => {
          // Sockets first (close 1001 so clients reconnect), then the HTTP side.
          await detach?.()
          await new Promise<void>((done) => {
            ;(server as Server).closeAllConnections?.()
            server.close(() => done())
          })
        },
      })
    }) as Server
    server.once('error', reject)
  })
}

/** The whole server on one port: the REST API plus the /v1/ws stream hub. */
export function startServer(services: AppServices, port: number, hostname: string, app: App = createApp(services)): Promise<RunningServer> {
  return listen(app, port, hostname, { hub: services.stream })
}
