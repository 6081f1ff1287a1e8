// smc-server: validated config → store → market → HTTP. Prints how to use it, stops cleanly on signals.
import { isAbsolute, resolve } from 'node:path'
import { createApp } from './api'
import { ConfigError, loadEnv } from './config'
import { systemClock } from './core'
import { startServer } from './http-server'
import { createMarketSource, type MarketData } from './market'
import { bootstrapCredentials, createServices } from './services'
import { closeDatabase } from './store'

async function main(): Promise<void> {
  // `smc-server backtest …`: a local run with a report, no server.
  if (process.argv[2] === 'backtest') {
    const { backtestCli } = await import('./cli')
    process.exit(await backtestCli(process.argv.slice(3)))
  }
  let env
  try {
    env = loadEnv()
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`smc-server: ${e.message}`)
      process.exit(2)
    }
    throw e
  }
  // A relative database path is relative to where the user ran the command, not to this package.
  if (env.DATABASE_URL !== ':memory:' && !isAbsolute(env.DATABASE_URL))
    env = { ...env, DATABASE_URL: resolve(process.env.INIT_CWD ?? process.cwd(), env.DATABASE_URL) }
  // A source that cannot be served stops the start with one line naming what is wrong (a CSV's
  // file, line and problem; an unknown exchange symbol), before anything listens.
  let market: MarketData
  try {
    market = await createMarketSource(env, systemClock)
  } catch (e) {
    console.error(`smc-server: market source ${env.MARKET_SOURCE}: ${(e as Error).message.split('\n')[0]}`)
    process.exit(1)
  }
  const services = createServices(env, { market })
  const creds = await bootstrapCredentials(services)
  services.market.start(env.MARKET_TICK_MS)
  const app = createApp(services)
  const running = await startServer(services, env.PORT, env.HOST, app)
  // The model trains on the stored candles once the server answers (a second or so of CPU; until
  // then /v1/ml/* answer 503 MODEL_UNAVAILABLE), then retrains itself every 24 closed candles.
  if (env.ML_ENABLED)
    setTimeout(() => {
      try {
        services.ml.train(services.market)
      } catch (err) {
        services.logger.error({ err }, 'prediction model training failed')
      }
    }, 0).unref()
  const base = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${running.port}`
  console.log(
    [
      '',
      `SMC Trading server ${services.version} listening on ${base}`,
      `  database:      ${env.DATABASE_URL}`,
      `  market:        ${env.MARKET_SOURCE} (${services.market.symbols().join(', ')})`,
      `  demo API key:  ${creds.demoApiKey}`,
      `  admin token:   ${creds.adminToken}`,
      `  stream:        ${base.replace(/^http/, 'ws')}/v1/ws?token=<access token>`,
      '',
      'Try it:',
      `  curl -s -X POST ${base}/v1/auth/generate-token -H 'X-API-Key: ${creds.demoApiKey}' -H 'Content-Type: application/json' -d '{"user_id":"demo","permissions":["read_market_data"]}'`,
      `  curl -s ${base}/v1/market-data/BTCUSDT -H 'Authorization: Bearer ${creds.adminToken}'`,
      '',
    ].join('\n'),
  )
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    services.logger.info({ signal }, 'shutting down')
    services.market.stop()
    await running.close()
    await services.stream.close()
    closeDatabase(services.db)
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

void main()
