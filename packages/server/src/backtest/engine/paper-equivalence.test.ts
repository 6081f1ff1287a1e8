import type { Candles } from '@smc-trading/smc'
import { afterEach, describe, expect, it } from 'vitest'
import { createRandom, fromAtoms, type ManualClock } from '../../core'
import { SeriesMarket } from '../../market'
import { candleAt, type Intent, type StrategyAccount } from '../../strategies/types'
import { createTestContext, type TestContext } from '../../testing'
import type { BacktestSpec, RunTrade } from '../types'
import { CandleReplay } from './replay'
import { withSlippage } from './slippage'
import { entryQuantity, runBacktest } from './run'
import { ETH, HOUR, MemorySink, specFor, TinyParams, tinyStrategy, walk } from './test-fixtures'

// The same strategy traded live on a paper server whose market replays the same candles (a
// SeriesMarket driven tick by tick on the server's clock), with its decisions submitted through
// the server's own ExecutionService at the same instants, must produce the backtest's trades.

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

const USER = 'paper-trader'

async function paperRun(spec: BacktestSpec, candles: Candles, bookSeed: string) {
  let series!: SeriesMarket
  ctx = await createTestContext(
    {
      PAPER_INITIAL_BALANCE: String(spec.initial_balance),
      PAPER_TAKER_FEE_BPS: String(spec.taker_fee_bps),
      PAPER_MAKER_FEE_BPS: String(spec.maker_fee_bps),
      ML_ENABLED: 'false',
    },
    {
      epoch: candles.time[0]!,
      market: (clock: ManualClock) => {
        series = new SeriesMarket([ETH], 60, bookSeed)
        series.time = clock.now()
        const market = series.marketData({
          advance() {},
          start() {},
          stop() {},
          lastUpdate: () => series.time,
          status: () => ({ state: 'live', reason: null }),
        })
        // The backtest's slippage model is a view of the market; the paper server gets the same view.
        return withSlippage(market, ETH, spec.slippage_bps)
      },
    },
  )
  const { execution, settings } = ctx.services
  settings.update({ 'trading.risk_enabled': false })
  const st = execution.state(USER)
  const replay = new CandleReplay(series, ctx.clock, ETH.symbol, HOUR)
  const params = TinyParams.parse(spec.params)
  const strategy = tinyStrategy.create(params, { symbol: ETH.symbol, interval: '1h', instrument: ETH, random: createRandom(1) })
  const stops = (): number[] =>
    execution.queries
      .listOrders(st.account.id, { status: 'open', limit: 100, offset: 0 })
      .rows.filter((o) => o.stopPrice !== null && !o.triggered)
      .map((o) => o.stopPrice! / 10 ** ETH.pricePrecision)
  const position = () => st.positions.get(ETH.symbol)
  const account = (): StrategyAccount => {
    const p = execution.portfolio(st)
    const pos = position()
    return {
      equity: fromAtoms(p.equity),
      available: fromAtoms(Math.max(0, p.equity - p.exposure)),
      position: pos ? { side: pos.side, quantity: pos.quantity / 10 ** ETH.quantityPrecision, entry_price: 0 } : null,
    }
  }
  const close = () => {
    const pos = position()
    if (pos) execution.submit(USER, { symbol: ETH.symbol, side: pos.side === 'long' ? 'sell' : 'buy', type: 'market', quantity: pos.quantity / 10 ** ETH.quantityPrecision })
  }
  let pending: { intent: Intent; quantity: number } | null = null
  let resting: string | null = null
  const n = candles.time.length
  for (let i = 0; i < n; i++) {
    const c = { time: candles.time[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! }
    replay.openCandle(c)
    if (pending) {
      const { intent, quantity } = pending
      pending = null
      if (resting && execution.order(USER, resting)?.status === 'new') execution.cancel(USER, resting)
      resting = null
      if (intent.action === 'close') close()
      else if (intent.action === 'open' && position()?.side !== intent.side) {
        close()
        const res = execution.submit(USER, {
          symbol: ETH.symbol,
          side: intent.side === 'long' ? 'buy' : 'sell',
          type: intent.type,
          quantity,
          stopLoss: intent.stop_loss,
          takeProfit: intent.take_profit,
          ...(intent.type === 'limit' ? { price: intent.price, timeInForce: 'GTC' as const } : {}),
        })
        if (res.ok && res.order.status === 'new') resting = res.order.id
      }
    }
    replay.finishCandle(c, stops)
    replay.closeCandle(c.time)
    const acc = account()
    const intent = strategy.onCandle({ candles: slice(candles, i + 1), index: i, candle: candleAt(candles, i), account: acc })
    if (intent.action !== 'hold' && i < n - 1) {
      const entry = intent.action === 'open' ? (intent.type === 'limit' ? intent.price! : c.close) : 0
      const quantity = intent.action === 'open' ? entryQuantity(acc, params.risk_fraction, entry, intent.stop_loss, ETH, spec).quantity : 0
      pending = { intent, quantity }
    }
  }
  if (resting && execution.order(USER, resting)?.status === 'new') execution.cancel(USER, resting)
  close()
  const trips = execution.listRoundTrips(st.account.id)
  const fills = execution.queries.trades(st.account.id, { limit: 10_000, page: 1 }).rows.reverse()
  return { trips, fills }
}

const slice = (c: Candles, n: number): Candles => ({
  time: c.time.subarray(0, n),
  open: c.open.subarray(0, n),
  high: c.high.subarray(0, n),
  low: c.low.subarray(0, n),
  close: c.close.subarray(0, n),
  volume: c.volume.subarray(0, n),
})

const essentials = (t: RunTrade) => ({
  direction: t.direction,
  entry_time: t.entry_time,
  entry_price: t.entry_price,
  exit_time: t.exit_time,
  exit_price: t.exit_price,
  quantity: t.quantity,
  fees: t.fees,
  pnl: t.pnl,
})

describe('paper equivalence', () => {
  for (const [name, params, seed, slippage] of [
    ['market entries, stops and targets', {}, 'paper-a', 0],
    ['limit entries as well', { limit_every: 3 }, 'paper-b', 0],
    ['with slippage', { limit_every: 4 }, 'paper-c', 4],
  ] as const) {
    it(`the backtest’s trades are the paper engine’s trades on the replayed market (${name})`, async () => {
      const candles = walk(260, seed)
      const spec = specFor(candles, { params: TinyParams.parse(params), initial_balance: 25_000, taker_fee_bps: 8, maker_fee_bps: 1, slippage_bps: slippage })
      const sink = new MemorySink()
      await runBacktest(spec, candles, sink, { instrument: ETH, strategy: tinyStrategy, bookSeed: 'equivalence' })
      const paper = await paperRun(spec, candles, 'equivalence')

      expect(sink.trades.length).toBeGreaterThan(15)
      const reasons = new Set(sink.trades.map((t) => t.exit_reason))
      for (const r of ['STOP_LOSS', 'TAKE_PROFIT', 'SIGNAL', 'END_OF_DATA']) expect(reasons, r).toContain(r)
      expect(sink.trades.map(essentials)).toEqual(
        paper.trips.map((r) => ({
          direction: r.side,
          entry_time: r.openedAt,
          entry_price: r.entryPrice,
          exit_time: r.closedAt,
          exit_price: r.exitPrice,
          quantity: r.quantity,
          fees: r.commission,
          pnl: r.pnl,
        })),
      )
      // Fill by fill: time, side, price, quantity, fee and liquidity.
      const fills = sink.events
        .filter((e) => e.event_type === 'trade_executed')
        .map((e) => ({ time: e.time, side: e.data.side, price: e.data.price, quantity: e.data.quantity, fee: e.data.fee, liquidity: e.data.liquidity }))
      expect(fills).toEqual(
        paper.fills.map((f) => ({
          time: f.createdAt,
          side: f.side,
          price: f.price / 10 ** ETH.pricePrecision,
          quantity: f.quantity / 10 ** ETH.quantityPrecision,
          fee: fromAtoms(f.commission),
          liquidity: f.liquidity,
        })),
      )
      if ('limit_every' in params) {
        // Some limit entries rested and filled as makers.
        const limits = new Set(sink.events.filter((e) => e.event_type === 'order_placed' && e.data.type === 'limit' && e.data.role === 'entry').map((e) => e.data.order_id))
        const makerEntries = sink.events.filter((e) => e.event_type === 'trade_executed' && limits.has(e.data.order_id) && e.data.liquidity === 'maker')
        expect(makerEntries.length).toBeGreaterThan(2)
      }
    })
  }
})
