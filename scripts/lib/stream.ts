// A small /v1/ws client for scripts (the crash test): subscribe to account channels, optionally
// resuming from an event id, and record every frame. `ws` comes from the server package.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ROOT } from './server'

interface Socket {
  on(event: 'message', cb: (data: Buffer) => void): void
  on(event: 'close' | 'open', cb: () => void): void
  on(event: 'error', cb: (err: Error) => void): void
  send(data: string): void
  close(): void
  terminate(): void
}
const WebSocket = createRequire(join(ROOT, 'packages/server/package.json'))('ws') as new (url: string, opts: object) => Socket

export interface Frame {
  seq: number
  type: string
  id: string
  channel?: string
  replayed?: boolean
  data: Record<string, unknown>
}

export interface Stream {
  frames: Frame[]
  /** Resolves with the first frame (already received or later) matching `match`, or rejects after `ms`. */
  next(match: (f: Frame) => boolean, ms?: number): Promise<Frame>
  close(): void
}

/** The number in an account event id `evt_<epoch>_<n>`. */
export const eventSeq = (id: string): number => Number(id.slice(id.lastIndexOf('_') + 1))

/** Connect with `token`, subscribe to `channels` (resuming after `lastEventId` when given), wait for the ack. */
export async function openStream(port: number, token: string, channels: string[], lastEventId?: string): Promise<Stream> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/ws?token=${encodeURIComponent(token)}`, { perMessageDeflate: false })
  const frames: Frame[] = []
  const waiters = new Set<() => void>()
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()) as Frame)
    for (const w of waiters) w()
  })
  ws.on('error', () => {}) // a killed server: the frames so far are what counts
  const stream: Stream = {
    frames,
    next(match, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const f = frames.find(match)
          if (!f) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(f)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching frame within ${ms} ms (got ${frames.map((f) => f.type).join(', ')})`))
        }, ms)
        waiters.add(check)
        check()
      })
    },
    close: () => ws.terminate(),
  }
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve())
    ws.on('close', () => reject(new Error('stream closed before it opened')))
  })
  ws.send(JSON.stringify({ type: 'subscribe', channels, ...(lastEventId ? { last_event_id: lastEventId } : {}) }))
  await stream.next((f) => f.type === 'subscribed' || f.type === 'error')
  return stream
}
