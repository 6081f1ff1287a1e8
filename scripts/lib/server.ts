// The real server (tsx packages/server/src/main.ts) in a child process on a file database, plus a
// small keep-alive HTTP client: shared by the order benchmark and the crash test.
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
export const DEMO_KEY = 'smc_demo_scripts_key_0123456789'

export interface ServerProcess {
  child: ChildProcess
  port: number
  /** Everything the server printed on stdout. */
  output: () => string
}

/**
 * Start the server with `env` on top of defaults for scripts (port 0, loopback, quiet logs, no rate
 * limits, a known demo API key); resolves once it prints the address it listens on.
 * `BENCH_SERVER_ARGS` adds node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)
  // BENCH_SERVER_ENTRY: another entry module (diagnostics only, e.g. a server variant).
  const entry = process.env.BENCH_SERVER_ENTRY ?? join(ROOT, 'packages/server/src/main.ts')
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      MARKET_HISTORY_DAYS: '2',
      RATE_LIMIT_ENABLED: 'false',
      SMC_DEMO_API_KEY: DEMO_KEY,
      PAPER_INITIAL_BALANCE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`)))
  })
  return { child, port, output: () => out }
}

/** Signal a server and wait for it to be gone (SIGTERM falls back to SIGKILL after 5 s). */
export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const force = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      if (force) clearTimeout(force)
      resolve()
    })
    child.kill(signal)
  })
}

export interface Reply {
  status: number
  body: string
}

/** A keep-alive HTTP/1.1 client for one server. */
export class Client {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 256 })
  constructor(
    readonly port: number,
    public token?: string,
  ) {}

  send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string | number> = { ...extraHeaders }
    if (this.token && !extraHeaders['x-api-key']) headers.authorization = `Bearer ${this.token}`
    if (payload !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(payload)
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(payload)
    })
  }

  /** JSON of a 2xx reply, or an error naming the request. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.send(method, path, body)
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.body}`)
    return JSON.parse(r.body) as T
  }

  /** Log in as the demo user with the demo API key; the token is used from now on. */
  async login(permissions = ['read_trades', 'write_trades', 'read_risk_metrics', 'read_market_data']): Promise<string> {
    const res = await this.send('POST', '/v1/auth/generate-token', { user_id: 'demo', permissions, expires_in: 86_400 }, { 'x-api-key': DEMO_KEY })
    if (res.status !== 200) throw new Error(`generate-token: ${res.status} ${res.body}`)
    this.token = (JSON.parse(res.body) as { token: string }).token
    return this.token
  }

  close(): void {
    this.agent.destroy()
  }
}
