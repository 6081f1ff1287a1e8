// The hub half of `pnpm bench ws-saturation`, in its own process: the real services and /v1/ws hub
// on loopback (auth, channels, per-connection seq, counters, backpressure checks), fed by the shared
// tick schedule through the market's onTick listeners, exactly as the simulated market feeds it.
import { loadEnv } from '../../../packages/server/src/config'
import { systemClock } from '../../../packages/server/src/core'
import { startServer } from '../../../packages/server/src/http-server'
import { createSimulatedMarket, type MarketData, type Ticker, type TickListener } from '../../../packages/server/src/market'
import { createLogger } from '../../../packages/server/src/observability'
import { createServices } from '../../../packages/server/src/services'
import { measure, runFeed } from './feed'
import type { FromServer, ToServer } from './protocol'

const send = (m: FromServer): void => void process.send!(m)
const clients = Number(process.env.BENCH_CLIENTS)
const symbolCount = Number(process.env.BENCH_SYMBOLS)

const env = loadEnv({
  ...process.env,
  DATABASE_URL: ':memory:',
  LOG_LEVEL: 'warn',
  MARKET_HISTORY_DAYS: '1',
  RATE_LIMIT_ENABLED: 'false',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
})
const sim = createSimulatedMarket({ clock: systemClock, seed: env.MARKET_SEED, historyDays: env.MARKET_HISTORY_DAYS })
const listeners = new Set<TickListener>()
const market: MarketData = {
  ...sim,
  onTick(l) {
    listeners.add(l)
    return () => listeners.delete(l)
  },
}
const services = createServices(env, { clock: systemClock, market, logger: createLogger('warn') })
const server = await startServer(services, 0, '127.0.0.1')
const symbols = market.symbols().slice(0, symbolCount)
const base = symbols.map((s) => market.ticker(s))

// One token per 10 clients: the per-token connection limit (10) is part of what runs.
const tokens: string[] = []
for (let i = 0; i < Math.ceil(clients / 10); i++) {
  const pair = await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, `bench${i}`, ['read_market_data'], 3600)
  tokens.push(pair.token)
}
send({ type: 'ready', wsUrl: server.wsUrl, tokens, symbols })

async function run(seconds: number, rate: number): Promise<void> {
  const m = measure()
  const ticks = await runFeed(symbols, rate, seconds, (s, due) => {
    const b = base[s]!
    const price = Math.round(b.price * (1 + (Math.random() - 0.5) * 1e-4) * 100) / 100
    const tick: Ticker = { ...b, price, bid: price - 0.01, ask: price + 0.01, timestamp: due }
    for (const l of listeners) l(tick)
  }).done
  send({ type: 'done', ticks, ...m.end() })
}

process.on('message', async (msg: ToServer) => {
  if (msg.type === 'start') await run(msg.seconds, msg.rate)
  if (msg.type === 'stop') {
    await server.close()
    await services.stream.close()
    process.exit(0)
  }
})
