import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient, SMCStreamError, StreamClient, type ExecutionStatus } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, TEST_EPOCH, type TestContext } from '../testing'
import { upgradeProxy, type UpgradeProxy } from './upgrade-proxy'

// watchExecution when the stream cannot be had (a proxy refusing or holding the upgrade, a bad
// token, the connection limit, an address refused for failed logins): it polls instead of hanging,
// and it can be ended at any moment, leaving no socket or timer behind. Real servers on ephemeral
// ports; every REST answer is checked against the contract.
const fetch = contractFetch((req) => globalThis.fetch(req))
const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

const DAY = 86_400_000
const ALL = ['read_trades', 'write_trades', 'read_market_data']

async function start(): Promise<{ ctx: TestContext; server: RunningServer; token: string }> {
  const ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
  cleanup.push(async () => {
    ctx.services.backtests.stopAll()
    await ctx.services.backtests.idle()
    await ctx.close()
  })
  return { ctx, server: await ctx.listen(), token: await ctx.token(ALL, 'watcher') }
}

async function proxy(server: RunningServer, upgrade: 'hang' | number): Promise<UpgradeProxy> {
  const p = await upgradeProxy(server.url, upgrade)
  cleanup.push(() => p.close())
  return p
}

/** A backtest paused at once (3 days of 1m candles): not over until resumed. */
async function pausedRun(client: SMCClient): Promise<number> {
  const { execution_id } = await client.createBacktest({
    strategy: 'sma_crossover',
    symbol: 'BTCUSDT',
    interval: '1m',
    start_time: new Date(TEST_EPOCH - 4 * DAY).toISOString(),
    end_time: new Date(TEST_EPOCH - DAY).toISOString(),
  })
  expect((await client.controlExecution(execution_id, 'pause')).status).toBe('paused')
  return execution_id
}

/** Watch a paused run, resume it after the first status, and collect every status to the end. */
async function watchThroughResume(client: SMCClient, id: number, options = {}): Promise<ExecutionStatus[]> {
  const seen: ExecutionStatus[] = []
  for await (const s of client.watchExecution(id, { intervalMs: 20, ...options })) {
    seen.push(s)
    if (seen.length === 1) await client.controlExecution(id, 'resume')
  }
  return seen
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('watchExecution without a stream falls back to polling', () => {
  it.each([
    ['refused with 404', 404],
    ['held without an answer', 'hang'],
  ] as const)('the upgrade %s: statuses from polling up to completed, and the socket is closed after', async (_, upgrade) => {
    const { server, token } = await start()
    const p = await proxy(server, upgrade)
    const client = new SMCClient(token, { baseUrl: p.url, fetch, retry: false })
    const id = await pausedRun(client)
    const seen = await watchThroughResume(client, id)
    expect(seen[0]!.status).toBe('paused')
    expect(seen.at(-1)!.status).toBe('completed')
    expect(p.upgrades).toBe(1)
    await until(() => p.openUpgrades() === 0)
  })

  it('a bad token throws 401 AUTHENTICATION_FAILED at once, as REST does', async () => {
    const { server } = await start()
    const started = Date.now()
    const err = await new SMCClient('not-a-valid-token', { baseUrl: server.url, fetch, retry: false })
      .watchExecution(1)
      .next()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect([(err as SMCApiError).status, (err as SMCApiError).code]).toEqual([401, 'AUTHENTICATION_FAILED'])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('the 11th connection of the token (CONNECTION_LIMIT_EXCEEDED): polls, and the ten others are untouched', async () => {
    const { server, token } = await start()
    const ten = Array.from({ length: 10 }, () => new StreamClient({ baseUrl: server.url, token }))
    cleanup.push(() => Promise.all(ten.map((s) => s.close())))
    await Promise.all(ten.map((s) => s.connect()))
    const client = new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
    const seen = await watchThroughResume(client, await pausedRun(client))
    expect(seen.at(-1)!.status).toBe('completed')
    expect(ten.every((s) => s.state === 'open')).toBe(true)
  })

  it('an address refused (429) for failed logins: polls at once instead of waiting out the minute', async () => {
    const { server, token } = await start()
    for (let i = 0; i < 5; i++) {
      const bad = new StreamClient({ baseUrl: server.url, token: `bad-${i}` })
      expect(((await bad.connect().catch((e) => e)) as SMCStreamError).code).toBe('AUTHENTICATION_FAILED')
    }
    const client = new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
    const started = Date.now()
    const seen = await watchThroughResume(client, await pausedRun(client))
    expect(seen.at(-1)!.status).toBe('completed')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('ending a watch', () => {
  it('a signal ends a pending next() at once with its reason; the connecting socket is closed', async () => {
    const { server, token } = await start()
    const p = await proxy(server, 'hang')
    const client = new SMCClient(token, { baseUrl: p.url, fetch, retry: false })
    const ac = new AbortController()
    const watch = client.watchExecution(await pausedRun(client), { signal: ac.signal, intervalMs: 60_000 })
    expect((await watch.next()).value?.status).toBe('paused')
    const pending = watch.next()
    await until(() => p.openUpgrades() === 1)
    const started = Date.now()
    ac.abort()
    const err = await pending.catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(Date.now() - started).toBeLessThan(1500)
    await until(() => p.openUpgrades() === 0)
    expect(await watch.next()).toEqual({ done: true, value: undefined })
  })

  it('return() during a pending next() ends both at once; the connecting socket is closed', async () => {
    const { server, token } = await start()
    const p = await proxy(server, 'hang')
    const client = new SMCClient(token, { baseUrl: p.url, fetch, retry: false })
    const watch = client.watchExecution(await pausedRun(client), { intervalMs: 60_000 })
    await watch.next()
    const pending = watch.next()
    await until(() => p.openUpgrades() === 1)
    const started = Date.now()
    expect(await watch.return()).toEqual({ done: true, value: undefined })
    expect(await pending).toEqual({ done: true, value: undefined })
    expect(Date.now() - started).toBeLessThan(1500)
    await until(() => p.openUpgrades() === 0)
  })

  it('an aborted signal ends the page iterators too', async () => {
    const { server, token } = await start()
    const client = new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
    const id = await pausedRun(client)
    const ac = new AbortController()
    ac.abort()
    for (const it of [client.executionEvents(id, {}, ac), client.executionTrades(id, {}, ac), client.executionEquity(id, {}, ac)])
      expect(((await it.next().catch((e: unknown) => e)) as Error).name).toBe('AbortError')
  })

  it.each(['abort', 'return'])('the process exits by itself after %s while the stream is still connecting', async (how) => {
    const { server, token } = await start()
    const p = await proxy(server, 'hang')
    const client = new SMCClient(token, { baseUrl: p.url, fetch, retry: false })
    const id = await pausedRun(client)
    const script = fileURLToPath(new URL('./fixtures/watch-exit.ts', import.meta.url))
    const started = Date.now()
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, p.url, token, String(id), how], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 15_000,
    })
    expect(stdout.trim().split('\n')).toEqual(['paused', how === 'abort' ? 'AbortError' : 'done=true'])
    // Far below the watch's minute of polling and of waiting for the stream.
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
