// A lean HTTP/1.1 client for the fixed-rate order benchmark: keep-alive sockets, requests written
// as prepared bytes, responses read just far enough to know their status and end. Node's http
// client costs the load generator several times more CPU per request, and on this 2-core machine
// that CPU is taken from the server being measured.
import { connect, type Socket } from 'node:net'

interface Pending {
  resolve: (status: number) => void
  reject: (err: Error) => void
}

class Connection {
  private buf: Buffer = Buffer.alloc(0)
  private pending: Pending | undefined
  busy = false
  /** The server closed it (idle keep-alive timeout) or it failed: never used again. */
  dead = false

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true)
    socket.on('data', (d: Buffer) => this.onData(d))
    socket.on('error', (e) => this.fail(e))
    socket.on('close', () => this.fail(new Error('connection closed')))
  }

  send(bytes: Buffer): Promise<number> {
    this.busy = true
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.socket.write(bytes)
    })
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d])
    const head = this.buf.indexOf('\r\n\r\n')
    if (head < 0) return
    const header = this.buf.subarray(0, head).toString('latin1')
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(header)?.[1] ?? 0)
    if (this.buf.length < head + 4 + length) return
    const status = Number(header.slice(9, 12))
    this.buf = this.buf.subarray(head + 4 + length)
    const p = this.pending
    this.pending = undefined
    this.busy = false
    p?.resolve(status)
  }

  private fail(e: Error): void {
    this.dead = true
    const p = this.pending
    this.pending = undefined
    p?.reject(e)
  }

  close(): void {
    this.socket.destroy()
  }
}

/** Keep-alive connections to one server; a request takes a free one or opens another. */
export class RawPool {
  private readonly conns: Connection[] = []

  constructor(private readonly port: number) {}

  /** POST `body` (already JSON) to `path` with `headers`; resolves with the status code. */
  async post(path: string, body: string, headers: Record<string, string>): Promise<number> {
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
    const bytes = Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
    )
    for (let i = this.conns.length - 1; i >= 0; i--) if (this.conns[i]!.dead) this.conns.splice(i, 1)
    const conn = this.conns.find((c) => !c.busy) ?? (await this.open())
    return conn.send(bytes)
  }

  private open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1', () => {
        const c = new Connection(socket)
        this.conns.push(c)
        resolve(c)
      })
      socket.once('error', reject)
    })
  }

  close(): void {
    for (const c of this.conns) c.close()
  }
}
