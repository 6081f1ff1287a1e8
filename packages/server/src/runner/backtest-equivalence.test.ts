import type { Candles } from '@smc-trading/smc'
import { afterEach, describe, expect, it } from 'vitest'
import { entryQuantity as backtestEntryQuantity, runBacktest } from '../backtest/engine'
import { CandleReplay } from '../backtest/engine/replay'
import { withSlippage } from '../backtest/engine/slippage'
import { ETH, HOUR, MemorySink, specFor, TinyParams, tinyStrategy, walk } from '../backtest/engine/test-fixtures'
import { createRandom, type ManualClock } from '../core'
import { DEFAULT_INSTRUMENTS, SeriesMarket } from '../market'
import type { StrategyDefinition } from '../strategies/types'
import { createTestContext, type TestContext } from '../testing'
import { catalogOf } from './catalog'
import { createRunner } from './runner'
import { entryQuantity } from './strategy-runner'
import { strategyUserId } from './user-ids'

// A strategy behaves the same run by the scheduler on paper as in a backtest: the runner, cycling
// once per candle on a test server whose market replays the backtest's candles (the backtest
// engine's own replay), places the orders the backtest places and ends with the same trades.

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

/** The fixture's walk without gaps (each candle opens at the previous close): a cycle at the open then sees what the decision at the close saw. */
function gapless(c: Candles): Candles {
  for (let k = 1; k < c.close.length; k++) {
    c.open[k] = c.close[k - 1]!
    c.high[k] = Math.max(c.high[k]!, c.open[k]!)
    c.low[k] = Math.min(c.low[k]!, c.open[k]!)
  }
  return c
}

describe('runner ≡ backtest', () => {
  it('entryQuantity is the backtest engine’s, on random inputs', () => {
    const r = createRandom('sizing')
    for (let k = 0; k < 2000; k++) {
      const inst = DEFAULT_INSTRUMENTS[k % DEFAULT_INSTRUMENTS.length]!
      const entry = inst.initialPrice * (0.5 + r.next())
      const stop = entry * (1 + (r.next() - 0.5) * 0.1)
      const account = { equity: 100 + r.next() * 50_000, available: r.next() * 50_000 }
      const costs = { taker_fee_bps: Math.floor(r.next() * 30), slippage_bps: Math.floor(r.next() * 10) }
      const risk = r.next() * 0.1
      expect(entryQuantity(account, risk, entry, stop, inst, costs)).toEqual(backtestEntryQuantity(account, risk, entry, stop, inst, costs))
    }
  })

  for (const [name, params, seed] of [
    ['market entries, stops and targets', {}, 'runner-a'],
    ['limit entries as well', { limit_every: 2 }, 'runner-c'],
    // Here a limit entry is still partly unfilled when the next decision comes: it is cancelled.
    ['every entry a limit, some partly filled', { limit_every: 1 }, 'runner-f'],
  ] as const) {
    it(`the scheduler’s trades are the backtest’s (${name})`, async () => {
      const candles = gapless(walk(220, seed))
      const spec = specFor(candles, { params: TinyParams.parse(params), initial_balance: 25_000, taker_fee_bps: 8, maker_fee_bps: 1, slippage_bps: 0 })
      const sink = new MemorySink()
      await runBacktest(spec, candles, sink, { instrument: ETH, strategy: tinyStrategy, bookSeed: 'equivalence' })

      let series!: SeriesMarket
      ctx = await createTestContext(
        { PAPER_TAKER_FEE_BPS: String(spec.taker_fee_bps), PAPER_MAKER_FEE_BPS: String(spec.maker_fee_bps), ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' },
        {
          epoch: candles.time[0]!,
          market: (clock: ManualClock) => {
            series = new SeriesMarket([ETH], 60, 'equivalence')
            series.time = clock.now()
            const market = series.marketData({
              advance() {},
              start() {},
              stop() {},
              lastUpdate: () => series.time,
              status: () => ({ state: 'live', reason: null }),
            })
            return withSlippage(market, ETH, 0)
          },
        },
      )
      const s = ctx.services
      s.settings.update({ 'trading.risk_enabled': false })
      const r = createRunner({
        db: s.db,
        clock: s.clock,
        market: s.market,
        settings: s.settings,
        risk: s.risk,
        execution: s.execution,
        strategies: catalogOf([tinyStrategy as unknown as StrategyDefinition]),
        defaultInitialBalance: 10_000,
        takerFeeBps: spec.taker_fee_bps,
        intervalMinutes: () => 60,
      })
      const a = r.accounts.create('demo', {
        name: 'tiny',
        strategy: 'tiny_momentum',
        params: spec.params,
        symbols: [ETH.symbol],
        interval: '1h',
        initial_balance: spec.initial_balance,
      })
      const st = s.execution.state(strategyUserId(a.account_id))
      const stops = (): number[] =>
        s.execution.queries
          .listOrders(st.account.id, { status: 'open', limit: 100, offset: 0 })
          .rows.filter((o) => o.stopPrice !== null && !o.triggered)
          .map((o) => o.stopPrice! / 10 ** ETH.pricePrecision)
      const replay = new CandleReplay(series, ctx.clock, ETH.symbol, HOUR)
      for (let i = 0; i < candles.time.length; i++) {
        const c = { time: candles.time[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! }
        replay.openCandle(c)
        // The cycle at this open decides on the candle that just closed and trades at this open.
        if (i > 0) {
          r.scheduler.trigger()
          const rec = (await r.scheduler.idle())!
          expect(rec.status).toBe('success')
        }
        replay.finishCandle(c, stops)
        replay.closeCandle(c.time)
      }
      // The end of the data: deleting the account cancels what rests and closes at the last close.
      r.accounts.delete('demo', a.account_id)
      r.close()

      const trips = s.execution.listRoundTrips(st.account.id)
      expect(sink.trades.length).toBeGreaterThan(10)
      expect(
        trips.map((t) => ({
          direction: t.side,
          entry_time: t.openedAt,
          entry_price: t.entryPrice,
          exit_time: t.closedAt,
          exit_price: t.exitPrice,
          quantity: t.quantity,
          fees: t.commission,
          pnl: t.pnl,
        })),
      ).toEqual(
        sink.trades.map((t) => ({
          direction: t.direction,
          entry_time: t.entry_time,
          entry_price: t.entry_price,
          exit_time: t.exit_time,
          exit_price: t.exit_price,
          quantity: t.quantity,
          fees: t.fees,
          pnl: t.pnl,
        })),
      )
      // Every candle got its decision, and the strategy saw each candle once.
      expect(r.accounts.repo.countDecisions(a.account_id, {})).toBe(candles.time.length - 1)
    })
  }
})
