import { loadEnv } from '../../config'
import { ManualClock } from '../../core'
import { INTERVAL_MINUTES, SeriesMarket, type Instrument, type Interval, type MarketData } from '../../market'
import { MINUTE_MS } from '../../market/intervals'
import { createLogger } from '../../observability'
import { createServices, type AppServices } from '../../services'
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { listRoundTrips, type Fill, type RoundTrip } from '../../execution'
import { closeDatabase, tables, type ExecutionRepositories } from '../../store'
import type { BacktestSpec } from '../types'
import { CandleReplay } from './replay'
import { withSlippage } from './slippage'

/** The one trader of a sandbox. */
export const SANDBOX_USER = 'backtest'

/**
 * One run's private paper exchange: the real server services (execution, risk, ledger, event bus)
 * on their own in-memory database, over their own market (a SeriesMarket the run replays) and
 * manual clock. Nothing in it is shared with the live server: its orders, fills, metrics and
 * events never reach the live accounts, book, metrics or WebSocket channels.
 */
export interface Sandbox {
  services: AppServices
  clock: ManualClock
  series: SeriesMarket
  /** The market the services see (the series, behind the slippage model). */
  market: MarketData
  replay: CandleReplay
  instrument: Instrument
  userId: string
  /** Fills of an account after `afterSeq` (the ledger's own rows), oldest first. */
  fillsAfter(accountId: string, afterSeq: number): Fill[]
  /**
   * Forget the account's equity snapshots older than the last one at or before `cutoff` (the start
   * of the current UTC day). The paper engine reads every mark of the account once a day to find the
   * day's starting equity (the last mark at or before 00:00 UTC) — the same answer after this — and a
   * backtest writes a mark per tick while a position is open: without it that read grows with the run.
   */
  pruneMarks(accountId: string, cutoff: number): void
  /** The round trip of a closed position, by the execution module's `listRoundTrips` (read by id). */
  roundTrip(positionId: string): RoundTrip | undefined
  close(): Promise<void>
}

export interface SandboxOptions {
  spec: Pick<BacktestSpec, 'symbol' | 'interval' | 'initial_balance' | 'taker_fee_bps' | 'maker_fee_bps' | 'slippage_bps'>
  instrument: Instrument
  /** Seeds the synthesised order books (same data and seed, same books). */
  bookSeed: string
  /** The clock's start (ms): the first candle's open time. */
  epoch: number
}

/** Limits out of reach (risk checks are off in a sandbox). */
const NO_LIMIT = 1e15

export const intervalMs = (interval: Interval): number => INTERVAL_MINUTES[interval] * MINUTE_MS

/** A JWT secret the sandbox never uses (no HTTP, no tokens) but the config requires to skip generating one. */
const UNUSED_SECRET = 'backtest-sandbox-unused-secret-0000'

export function openSandbox(o: SandboxOptions): Sandbox {
  const { spec, instrument } = o
  if (instrument.symbol !== spec.symbol) throw new RangeError(`instrument ${instrument.symbol} is not ${spec.symbol}`)
  const env = loadEnv({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    JWT_SECRET: UNUSED_SECRET,
    MARKET_SEED: o.bookSeed,
    MARKET_SYMBOLS: spec.symbol,
    PAPER_INITIAL_BALANCE: String(spec.initial_balance),
    PAPER_TAKER_FEE_BPS: String(spec.taker_fee_bps),
    PAPER_MAKER_FEE_BPS: String(spec.maker_fee_bps),
    RATE_LIMIT_ENABLED: 'false',
    ML_ENABLED: 'false',
  })
  const clock = new ManualClock(o.epoch)
  const stepMs = intervalMs(spec.interval)
  const series = new SeriesMarket([instrument], stepMs / MINUTE_MS, o.bookSeed, (error) => {
    throw error
  })
  series.time = o.epoch
  const market = withSlippage(
    series.marketData({
      advance() {},
      start() {},
      stop() {},
      lastUpdate: () => series.time,
      status: () => ({ state: 'live', reason: null }),
    }),
    instrument,
    spec.slippage_bps,
  )
  const services = createServices(env, { clock, market, logger: createLogger('silent') })
  // The strategy's own sizing is the risk control of a backtest: the paper limits meant for a live
  // account (position size, daily loss, drawdown) would stop it midway, so they are off (and set out
  // of reach, so no limit warnings are logged either). The balance check stays.
  services.settings.update({ 'trading.risk_enabled': false, 'trading.max_position_size': NO_LIMIT, 'trading.max_daily_loss': NO_LIMIT })
  services.risk.updateLimits(services.execution.accountIdOf(SANDBOX_USER), { max_drawdown: NO_LIMIT })
  const { fills, positions } = tables
  const fillsQuery = services.db
    .select()
    .from(fills)
    .where(and(eq(fills.accountId, sql.placeholder('account')), gt(fills.seq, sql.placeholder('after'))))
    .orderBy(asc(fills.seq))
    .prepare()
  const positionQuery = services.db
    .select()
    .from(positions)
    .where(eq(positions.id, sql.placeholder('id')))
    .prepare()
  const prune = services.db.$client.prepare(
    'DELETE FROM equity_snapshots WHERE account_id = @account AND at < (SELECT MAX(at) FROM equity_snapshots WHERE account_id = @account AND at <= @cutoff)',
  )
  let closed = false
  return {
    services,
    clock,
    series,
    market,
    replay: new CandleReplay(series, clock, spec.symbol, stepMs),
    instrument,
    userId: SANDBOX_USER,
    fillsAfter: (account, after) => fillsQuery.all({ account, after }),
    roundTrip(positionId) {
      const row = positionQuery.get({ id: positionId })
      if (!row || row.status !== 'closed') return undefined
      // listRoundTrips reads closed positions through `repos.positions.closed` only: give it this one.
      const one = { positions: { closed: () => [row] } } as unknown as ExecutionRepositories
      return listRoundTrips(one, market, row.accountId)[0]
    },
    pruneMarks(accountId, cutoff) {
      prune.run({ account: accountId, cutoff })
    },
    async close() {
      if (closed) return
      closed = true
      services.execution.close()
      await services.stream.close()
      services.market.stop()
      closeDatabase(services.db)
    },
  }
}
