// Quickstart: exchange an API key for a token, then read a ticker and the latest candles.
//   SMC_API_KEY=<demo key printed by smc-server> pnpm --filter @smc-trading/example-quickstart start
import { SMCApiError, SMCClient } from 'smc-trading-sdk'

const baseUrl = process.env.SMC_BASE_URL ?? 'http://localhost:8000'
const apiKey = process.env.SMC_API_KEY
const symbol = process.env.SMC_SYMBOL ?? 'BTCUSDT'

async function main(): Promise<void> {
  if (!apiKey) throw new Error('Set SMC_API_KEY to the demo API key the server printed at start')
  const client = new SMCClient(undefined, { baseUrl })
  const { token, expires_at } = await client.generateToken({ user_id: 'demo', permissions: ['read_market_data'] }, { apiKey })
  client.setToken(token)
  console.log(`token valid until ${expires_at}`)

  const t = await client.getMarketData(symbol)
  console.log(`${t.symbol} last ${t.price}  bid ${t.bid}  ask ${t.ask}  24h ${t.change_24h.toFixed(2)}%`)

  const { data } = await client.getOhlcv(symbol, { interval: '1h', limit: 5 })
  console.log('time                      open        high        low         close       volume')
  for (const k of data)
    console.log(
      [new Date(k.timestamp * 1000).toISOString(), k.open, k.high, k.low, k.close, k.volume.toFixed(3)]
        .map((v) => String(v).padEnd(12))
        .join(''),
    )
}

main().catch((e: unknown) => {
  if (e instanceof SMCApiError) console.error(`API error ${e.status} ${e.code}: ${e.message} (request ${e.requestId})`)
  else console.error(e)
  process.exit(1)
})
