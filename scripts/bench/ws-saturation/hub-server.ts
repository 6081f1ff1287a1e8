// The hub half of `pnpm bench ws-saturation`, in its own process: the real services and /v1/ws hub
// on loopback (auth, channels, per-connection seq, counters, backpressure checks), fed by the shared
// tick schedule through the market's onTick listeners, exactly as the simulated market feeds it.
import type { Ticker } from '../../../packages/server/src/market'
import { startBenchHub } from '../../lib/bench-hub'
import { measure, runFeed } from './feed'
import type { FromServer, ToServer } from './protocol'

const send = (m: FromServer): void => void process.send!(m)
const clients = Number(process.env.BENCH_CLIENTS)
const symbolCount = Number(process.env.BENCH_SYMBOLS)

const { services, server, market, listeners, tokens: tokensFor } = await startBenchHub()
const symbols = market.symbols().slice(0, symbolCount)
const base = symbols.map((s) => market.ticker(s))

// One token per 10 clients: the per-token connection limit (10) is part of what runs.
const tokens = await tokensFor(Math.ceil(clients / 10))
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
