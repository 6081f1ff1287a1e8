import { count } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { tables } from '../../store'
import { createTestContext, type TestContext } from '../../testing'
import type { BacktestSpec } from '../types'
import { backtestCandles } from './candles'
import { runBacktest } from './run'
import { MemorySink, tinyStrategy } from './test-fixtures'

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

describe('isolation', () => {
  it('a backtest over the live market’s candles touches no live account, order, book, metric or event', async () => {
    ctx = await createTestContext({ ML_ENABLED: 'false' })
    const s = ctx.services
    const symbol = 'BTCUSDT'
    const live: string[] = []
    s.events.subscribe((e) => live.push(e.kind))
    let ticks = 0
    s.market.onTick(() => ticks++)
    // The server's own figures (trades, PnL, WS, …), without the process's (heap, CPU, event loop).
    const domainMetrics = async () =>
      (await s.metrics.registry.metrics())
        .split('\n')
        .filter((l) => !/nodejs|process_|eventloop|gc_|cpu_usage|memory_usage/.test(l))
        .join('\n')
    const rows = () => ({
      accounts: s.db.select({ n: count() }).from(tables.accounts).get()!.n,
      orders: s.db.select({ n: count() }).from(tables.orders).get()!.n,
      fills: s.db.select({ n: count() }).from(tables.fills).get()!.n,
      journal: s.db.select({ n: count() }).from(tables.streamEvents).get()!.n,
    })
    const before = { rows: rows(), book: s.market.orderBook(symbol, 100), metrics: await domainMetrics(), pnl: s.execution.totalRealizedPnl() }

    const now = s.clock.now()
    const spec: BacktestSpec = {
      strategy: 'tiny_momentum',
      params: { risk_fraction: 0.02, period: 6, stop_pct: 0.004, tp_pct: 0.006, limit_every: 3 },
      symbol,
      interval: '15m',
      start_time: now - 2 * 86_400_000,
      end_time: now,
      initial_balance: 10_000,
      taker_fee_bps: 10,
      maker_fee_bps: 2,
      slippage_bps: 2,
    }
    const candles = backtestCandles(s.market, spec)
    expect(candles.time.length).toBe(2 * 96)
    const sink = new MemorySink()
    await runBacktest(spec, candles, sink, { instrument: s.market.requireInstrument(symbol), strategy: tinyStrategy })
    expect(sink.trades.length).toBeGreaterThan(5)

    expect(live).toEqual([])
    expect(ticks).toBe(0)
    expect(rows()).toEqual(before.rows)
    expect(s.market.orderBook(symbol, 100)).toEqual(before.book)
    expect(await domainMetrics()).toBe(before.metrics)
    expect(s.execution.totalRealizedPnl()).toBe(before.pnl)
  })
})
