/* eslint-disable @typescript-eslint/no-explicit-any -- event types differ between implementations */
/**
 * The part of the WebSocket API the stream client uses (the browser's, `ws`'s and undici's all fit).
 * @example
 * const socket: SocketLike = new WebSocket('ws://localhost:8000/v1/ws')
 */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  /** Listeners get the implementation's event objects: `data` on messages, `code`/`reason` on close. */
  onopen: ((ev: any) => void) | null
  onmessage: ((ev: any) => void) | null
  onclose: ((ev: any) => void) | null
  onerror: ((ev: any) => void) | null
}

/**
 * A WebSocket constructor: `globalThis.WebSocket`, `ws`'s `WebSocket`, or a test double.
 * @example
 * import WebSocket from 'ws'
 * const stream = new StreamClient({ token, WebSocket })
 */
export type WebSocketConstructor = new (url: string) => SocketLike

/**
 * The WebSocket implementation to use: the given one, the platform's (browsers, Deno, Node ≥ 22),
 * else the `ws` package, imported only when needed so browser bundles never include it.
 *
 * @example
 * const WS = await resolveWebSocket()
 * const socket = new WS('ws://localhost:8000/v1/ws?token=…')
 */
export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (native) return native
  // A variable specifier keeps bundlers from resolving `ws` for browser builds.
  const specifier = 'ws'
  try {
    const mod = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { default?: unknown; WebSocket?: unknown }
    const ctor = (mod.WebSocket ?? mod.default) as WebSocketConstructor | { WebSocket?: WebSocketConstructor } | undefined
    const found = typeof ctor === 'function' ? ctor : ctor?.WebSocket
    if (found) return found
  } catch {
    // fall through to the explanation below
  }
  throw new Error('No WebSocket implementation: this runtime has no global WebSocket; install the "ws" package (npm i ws)')
}

/**
 * `ws://…/v1/ws` for an API base URL (`http` → `ws`, `https` → `wss`, path prefix kept).
 * @example
 * streamUrl('https://api.example.com') // 'wss://api.example.com/v1/ws'
 */
export function streamUrl(baseUrl: string): string {
  const u = new URL(baseUrl)
  u.protocol = u.protocol === 'https:' ? 'wss:' : u.protocol === 'http:' ? 'ws:' : u.protocol
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/v1/ws`
  u.search = ''
  u.hash = ''
  return u.toString()
}
