// SMC paper-trading bot: the seed's "complete trading bot example" on smc-trading-sdk.
//   SMC_API_KEY=<demo key printed by smc-server> pnpm --filter @smc-trading/example-smc-bot start
// Environment: SMC_BASE_URL (http://localhost:8000), SMC_SYMBOLS (BTCUSDT,ETHUSDT), SMC_INTERVAL
// (15m), SMC_CYCLE_SECONDS (60), SMC_RISK_PER_TRADE (0.02), SMC_ONCE=1 (one cycle, then exit),
// SMC_CLOSE_ON_EXIT=1 (close the bot's positions on Ctrl-C).
import { SMCApiError, SMCClient, type SmcAnalysisQuery } from 'smc-trading-sdk'
import { SmcBot } from './bot'

const env = process.env
const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const

function number(name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  const v = raw === undefined ? fallback : Number(raw)
  if (!(v >= min && v <= max)) throw new Error(`${name} must be a number in [${min}, ${max}], got ${raw}`)
  return v
}

async function main(): Promise<void> {
  const apiKey = env.SMC_API_KEY
  if (!apiKey) throw new Error('Set SMC_API_KEY to the demo API key the server printed at start')
  const interval = (env.SMC_INTERVAL ?? '15m') as NonNullable<SmcAnalysisQuery['interval']>
  if (!INTERVALS.includes(interval)) throw new Error(`SMC_INTERVAL must be one of ${INTERVALS.join(', ')}`)
  const symbols = (env.SMC_SYMBOLS ?? 'BTCUSDT,ETHUSDT').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)

  const client = new SMCClient(undefined, { baseUrl: env.SMC_BASE_URL ?? 'http://localhost:8000' })
  const permissions = ['read_market_data', 'read_trades', 'write_trades', 'read_risk_metrics'] as const
  const { token } = await client.generateToken({ user_id: 'demo', permissions: [...permissions] }, { apiKey })
  client.setToken(token)
  const bot = new SmcBot(client, { symbols, interval, riskPerTrade: number('SMC_RISK_PER_TRADE', 0.02, 0.0001, 1) })

  if (env.SMC_ONCE === '1') {
    await bot.cycle()
    return
  }
  // Fills and position changes as they happen, between the cycles.
  client.onTradeUpdate((t) => console.log(`  fill    ${t.symbol} ${t.side} ${t.filled_quantity}/${t.quantity} ${t.status}`))
  client.onPositionUpdate((p) => console.log(`  position ${p.symbol} ${p.side} ${p.quantity} pnl ${p.unrealized_pnl}`))
  await client.connect()
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  process.once('SIGTERM', () => stop.abort())
  console.log(`trading ${symbols.join(', ')} on ${interval} SMC signals; Ctrl-C stops`)
  await bot.run(number('SMC_CYCLE_SECONDS', 60, 1, 86_400) * 1000, stop.signal)
  if (env.SMC_CLOSE_ON_EXIT === '1') await bot.closeAll()
  await client.disconnect()
}

main().catch((e: unknown) => {
  if (e instanceof SMCApiError) console.error(`API error ${e.status} ${e.code}: ${e.message} (request ${e.requestId})`)
  else console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
