// Test-only: a WebSocket client for the /v1/ws hub that checks every frame it receives — the
// envelope, `seq` increasing by one, and the frame against the AsyncAPI contract.
import WebSocket from 'ws'
import { assertServerFrame } from './ws-contract'

export interface ServerFrame {
  seq: number
  type: string
  channel?: string
  data: any
  timestamp: string
  id: string
  replayed?: boolean
}

export interface TestSocket {
  ws: WebSocket
  /** Every frame received so far, in order. */
  frames: ServerFrame[]
  /** The next frame not yet taken (optionally the next one matching), waiting up to `timeoutMs`. */
  next(match?: string | ((f: ServerFrame) => boolean), timeoutMs?: number): Promise<ServerFrame>
  /** Resolves when nothing matching arrives within `ms` (and fails if something does). */
  nothing(match?: string | ((f: ServerFrame) => boolean), ms?: number): Promise<void>
  send(msg: unknown): void
  /** Close code and reason once the socket is closed. */
  closed: Promise<{ code: number; reason: string }>
  close(): Promise<void>
}

export type FrameCheck = (frame: ServerFrame) => void

export interface OpenOptions {
  token?: string
  headers?: Record<string, string>
  /** Options of the `ws` client (e.g. `autoPong: false` to play a dead peer). */
  wsOptions?: WebSocket.ClientOptions
  /** Extra check of each frame (the AsyncAPI validator by default). */
  check?: FrameCheck
}


const matcher = (m?: string | ((f: ServerFrame) => boolean)) => (m === undefined ? () => true : typeof m === 'string' ? (f: ServerFrame) => f.type === m : m)

/** Connect to `url` (token in the query when given) and resolve once the socket is open. */
export async function openSocket(url: string, opts: OpenOptions = {}): Promise<TestSocket> {
  const target = opts.token === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(opts.token)}`
  const ws = new WebSocket(target, { ...opts.wsOptions, headers: opts.headers })
  const frames: ServerFrame[] = []
  let taken = 0
  let failure: Error | undefined
  const waiters = new Set<() => void>()
  const wake = (): void => waiters.forEach((w) => w())
  const check = opts.check ?? assertServerFrame
  ws.on('message', (raw, isBinary) => {
    try {
      if (isBinary) throw new Error('server sent a binary frame')
      const f = JSON.parse(raw.toString()) as ServerFrame
      const expected = (frames.at(-1)?.seq ?? 0) + 1
      if (f.seq !== expected) throw new Error(`seq ${f.seq} after ${expected - 1}: ${raw.toString().slice(0, 200)}`)
      check?.(f)
      frames.push(f)
    } catch (e) {
      failure ??= e as Error
    }
    wake()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
      wake()
    }),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.on('error', () => {})

  const next: TestSocket['next'] = (match, timeoutMs = 3000) => {
    const ok = matcher(match)
    return new Promise((resolve, reject) => {
      const tryTake = (): boolean => {
        if (failure) {
          reject(failure)
          return true
        }
        while (taken < frames.length) {
          const f = frames[taken++]!
          if (ok(f)) {
            resolve(f)
            return true
          }
        }
        if (ws.readyState === WebSocket.CLOSED) {
          reject(new Error(`socket closed while waiting for ${String(match ?? 'a frame')}`))
          return true
        }
        return false
      }
      if (tryTake()) return
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        reject(new Error(`no ${String(match ?? 'frame')} within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(', ')}`))
      }, timeoutMs)
      const waiter = (): void => {
        if (tryTake()) {
          clearTimeout(timer)
          waiters.delete(waiter)
        }
      }
      waiters.add(waiter)
    })
  }

  return {
    ws,
    frames,
    next,
    async nothing(match, ms = 100) {
      const ok = matcher(match)
      const before = frames.length
      await new Promise((r) => setTimeout(r, ms))
      if (failure) throw failure
      const extra = frames.slice(Math.max(before, taken)).filter(ok)
      if (extra.length > 0) throw new Error(`unexpected frames: ${JSON.stringify(extra).slice(0, 300)}`)
    },
    send(msg) {
      ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg))
    },
    closed,
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return
      ws.close()
      await closed
    },
  }
}
