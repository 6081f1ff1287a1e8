// Backtest two parameter sets of sma_crossover over the same week and print the better one.
//   SMC_API_KEY=<demo key printed by smc-server> pnpm --filter @smc-trading/example-backtest-compare start
// README.md lists the variables (SMC_BASE_URL, SMC_API_KEY, SMC_SYMBOL, SMC_DAYS, SMC_END).
import { SMCApiError, SMCClient, type ExecutionStatus } from 'smc-trading-sdk'
import { oneLine, readConfig, type Config } from './config'

const candidates = [
  { fast: 10, slow: 30 },
  { fast: 20, slow: 60 },
]

async function main({ baseUrl, apiKey, symbol, days, end }: Config): Promise<void> {
  const client = new SMCClient(undefined, { baseUrl })
  const { token } = await client.generateToken({ user_id: 'demo', permissions: ['read_trades', 'write_trades'] }, { apiKey })
  client.setToken(token)

  const results: { params: (typeof candidates)[number]; last: ExecutionStatus }[] = []
  for (const params of candidates) {
    const { execution_id } = await client.createBacktest({
      strategy: 'sma_crossover',
      params,
      symbol,
      interval: '15m',
      start_time: new Date(end - days * 86_400_000).toISOString(),
      end_time: new Date(end).toISOString(),
    })
    let last: ExecutionStatus | undefined
    for await (const s of client.watchExecution(execution_id, { intervalMs: 200 })) last = s
    if (last?.status !== 'completed') throw new Error(`backtest ${execution_id} ended ${last?.status}: ${last?.error_message}`)
    const c = last.checkpoint!
    console.log(`fast ${params.fast} / slow ${params.slow}: return ${c.total_return_pct.toFixed(2)} %, ${c.total_trades} trades, win rate ${c.win_rate.toFixed(1)} %, max drawdown ${c.max_drawdown_pct.toFixed(2)} %`)
    results.push({ params, last })
  }
  const best = results.reduce((a, b) => (b.last.checkpoint!.total_return_pct > a.last.checkpoint!.total_return_pct ? b : a))
  console.log(`better: fast ${best.params.fast} / slow ${best.params.slow} (${best.last.checkpoint!.total_return_pct.toFixed(2)} %)`)
}

let config: Config
try {
  config = readConfig(process.env)
} catch (e) {
  console.error(`backtest-compare: ${(e as Error).message}`)
  process.exit(1)
}

main(config).catch((e: unknown) => {
  if (e instanceof SMCApiError) console.error(`API error ${e.status} ${e.code}: ${e.message} (request ${e.requestId})`)
  else console.error(`backtest-compare: ${oneLine(e)}`)
  process.exit(1)
})
