// A server for the health benchmark, in its own process: `full` is the real app with every
// middleware (request id, metrics + logs, token identification, rate limiting, security,
// validation); `bare` is a plain Hono app answering the same route with a fixed minimal body;
// `bare-same <file>` answers with the fixed bytes of a full-stack response (its body and headers,
// read from the file), so the comparison isolates what the stack does from what it sends.
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp, createServices, loadEnv } from '../index'

const mode = process.argv[2]
let fetch: (req: Request) => Response | Promise<Response>
if (mode === 'bare') {
  const app = new Hono()
  const body = { status: 'healthy', timestamp: new Date().toISOString(), version: '1.0.0', uptime: 0, components: {} }
  app.get('/v1/health', (c) => c.json(body))
  fetch = app.fetch
} else if (mode === 'bare-same') {
  const sample = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as { body: string; headers: Record<string, string> }
  const app = new Hono()
  app.get('/v1/health', (c) => {
    for (const [k, v] of Object.entries(sample.headers)) c.header(k, v)
    return c.body(sample.body, 200)
  })
  fetch = app.fetch
} else {
  const env = loadEnv({
    ...process.env,
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    MARKET_HISTORY_DAYS: '1',
    // The limiter runs on every request, with a budget the benchmark cannot exhaust.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_BURST_PER_SECOND: '1000000',
    RATE_LIMIT_HEALTH_PER_10S: '1000000',
  })
  const services = createServices(env)
  services.market.start(env.MARKET_TICK_MS)
  fetch = createApp(services).fetch
}
serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`LISTENING ${info.port}`))
process.on('SIGINT', () => process.exit(0))
