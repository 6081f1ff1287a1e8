// smc-server: validated config → store → market → HTTP. Prints how to use it, stops cleanly on signals.
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from './api'
import { ConfigError, loadEnv } from './config'
import { systemClock } from './core'
import { startServer } from './http-server'
import { createMarketSource, type MarketData } from './market'
import { bootstrapCredentials, createServices } from './services'
import { closeDatabase } from './store'

/** What `--ephemeral` sets unless the environment says otherwise. */
const EPHEMERAL_DEFAULTS: Record<string, string> = {
  DATABASE_URL: ':memory:',
  PORT: '0',
  MARKET_SOURCE: 'simulated',
  MARKET_SEED: '42',
  MARKET_HISTORY_DAYS: '2',
  LOG_LEVEL: 'warn',
  SMC_DEMO_API_KEY: 'smc_demo_ephemeral_key_0123456789',
  SMC_ADMIN_API_KEY: 'smc_admin_ephemeral_key_0123456789',
  JWT_SECRET: 'ephemeral-secret-not-for-production-0123456789',
}

async function main(): Promise<void> {
  // `smc-server backtest …`: a local run with a report, no server.
  if (process.argv[2] === 'backtest') {
    const { backtestCli } = await import('./cli')
    process.exit(await backtestCli(process.argv.slice(3)))
  }
  let flags
  try {
    flags = parseArgs({
      args: process.argv.slice(2),
      options: { ephemeral: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values
  } catch (e) {
    console.error(`smc-server: ${(e as Error).message}\nusage: smc-server [--ephemeral] [--port N] [--host H] | smc-server backtest … | smc-server --help`)
    process.exit(2)
  }
  if (flags.help) {
    const { serverUsage } = await import('./usage')
    process.stdout.write(serverUsage())
    return
  }
  // --ephemeral: a throwaway server for CI (in memory, fixed seed and keys, short history); the
  // environment still wins, so a script can pin anything it needs.
  const source: Record<string, string | undefined> = { ...(flags.ephemeral ? EPHEMERAL_DEFAULTS : {}), ...process.env }
  if (flags.port !== undefined) source.PORT = flags.port
  if (flags.host !== undefined) source.HOST = flags.host
  let env
  try {
    env = loadEnv(source)
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
  if (flags.ephemeral) {
    // One JSON line, so a CI script can read everything with `head -1 | jq`.
    const readyMs = Math.round(performance.now())
    console.log(JSON.stringify({ base_url: base, ws_url: `${base.replace(/^http/, 'ws')}/v1/ws`, port: running.port, api_key: creds.demoApiKey, admin_key: creds.adminApiKey, admin_token: creds.adminToken, pid: process.pid, ready_ms: readyMs }))
  } else {
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
  }
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    services.logger.info({ signal }, 'shutting down')
    services.market.stop()
    await running.close()
    await services.stream.close()
    services.system.close()
    closeDatabase(services.db)
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

void main()
