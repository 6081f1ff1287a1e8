import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plantedMarket } from '../scanner/scan/test-markets'
import { engineContext } from './engine.test-helpers'
import { createTestContext, type TestContext } from '../testing'

// Seed 004's live executions: every engine start is a `trading` execution, stopped on stop.
let ctx: TestContext
let alice: string
let bob: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' }, { market: () => plantedMarket().market })
  alice = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'alice')
  bob = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'bob')
})
afterEach(() => ctx.close())

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await ctx.call(method, path, { token, body })
  return { status: res.status, body: await res.json() }
}

describe('engine runs as trading executions', () => {
  it('start → a running execution (events per transition, equity per tick); another user 403; stop → stopped; a new start → #2', async () => {
    expect((await call('POST', '/v1/engine/start', alice, { preset: 'breakout_v1' })).status).toBe(200)
    const list = (await call('GET', '/v1/executions?task_type=trading', alice)).body.executions
    expect(list).toHaveLength(1)
    const ex = list[0]
    expect(ex).toMatchObject({ task_type: 'trading', task_id: 'engine:alice', execution_number: 1, strategy: 'breakout_v1', status: 'running' })
    expect((await call('GET', `/v1/executions/${ex.execution_id}/status`, bob)).status).toBe(403)
    expect((await call('GET', '/v1/executions?task_type=trading', bob)).body.executions).toHaveLength(0)

    for (let i = 0; i < 4; i++) await ctx.services.engine.step('alice')
    const events = (await call('GET', `/v1/executions/${ex.execution_id}/events?event_type=status_changed`, alice)).body.events
    expect(events[0].event).toMatchObject({ status: 'running', source: 'engine', source_id: 'alice' })
    expect(events.map((e: { event: { engine_state?: string } }) => e.event.engine_state).slice(1, 3)).toEqual(['INITIALIZING', 'SCANNING'])
    expect((await call('GET', `/v1/executions/${ex.execution_id}/equity`, alice)).body.equity_curve.length).toBeGreaterThanOrEqual(1)

    expect((await call('POST', '/v1/engine/stop', alice)).status).toBe(200)
    const st = (await call('GET', `/v1/executions/${ex.execution_id}/status`, alice)).body
    expect(st).toMatchObject({ status: 'stopped', has_checkpoint: true })
    const last = (await call('GET', `/v1/executions/${ex.execution_id}/events`, alice)).body.events.at(-1)
    expect(last).toMatchObject({ event_type: 'status_changed', event: { status: 'stopped' } })

    await call('POST', '/v1/engine/reload', alice)
    expect((await call('POST', '/v1/engine/start', alice, { preset: 'breakout_v1' })).status).toBe(200)
    const again = (await call('GET', '/v1/executions?task_type=trading', alice)).body.executions
    expect(again.map((e: { execution_number: number; status: string }) => [e.execution_number, e.status])).toEqual([
      [2, 'running'],
      [1, 'stopped'],
    ])
    expect((await call('POST', '/v1/engine/emergency-stop', alice)).status).toBe(200)
    expect((await call('GET', `/v1/executions/${again[0].execution_id}/status`, alice)).body.status).toBe('stopped')
  })
})

describe("the engine's execution follows its state", () => {
  it('PAUSED → paused, resume → running; ERROR → failed with the reason; reload and the next step → the next execution', async () => {
    const h = await engineContext({ env: { ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' } })
    try {
      const s = h.ctx.services
      const e = h.reopen({ executions: s.executions })
      e.start({ owner: 'ivy', preset: 'breakout_v1' })
      const first = e.executionOf('ivy')!
      expect(s.executions.status(first).status).toBe('running')
      e.pause('ivy')
      expect(s.executions.status(first).status).toBe('paused')
      e.pause('ivy') // the same state again: no change, no error
      expect(s.executions.status(first).status).toBe('paused')
      e.resume('ivy')
      expect(s.executions.status(first).status).toBe('running')
      await e.step('ivy')
      e.stop('ivy')
      expect(s.executions.status(first).status).toBe('stopped')

      e.reload('ivy')
      e.start({ owner: 'ivy', preset: 'breakout_v1' })
      const second = e.executionOf('ivy')!
      expect(second).not.toBe(first)
      h.failing.add('ivy')
      await e.step('ivy')
      h.failing.delete('ivy')
      expect(e.status('ivy').state).toBe('ERROR')
      expect(e.executionOf('ivy')).toBeUndefined()
      expect(s.executions.status(second)).toMatchObject({ status: 'failed', error_message: 'INITIALIZING failed: preset store unavailable for ivy' })

      e.reload('ivy')
      await e.step('ivy')
      const third = e.executionOf('ivy')!
      expect(third).not.toBe(second)
      expect(s.executions.status(third).status).toBe('running')

      const token = await h.ctx.token(['read_trades'], 'ivy')
      const res = await h.ctx.call('GET', '/v1/executions?task_type=trading', { token })
      const list = (await res.json()).executions as { execution_number: number; status: string }[]
      expect(list.map((x) => [x.execution_number, x.status])).toEqual([
        [3, 'running'],
        [2, 'failed'],
        [1, 'stopped'],
      ])
      const events = await h.ctx.call('GET', `/v1/executions/${first}/events?event_type=status_changed`, { token })
      const seen = ((await events.json()).events as { event: { status?: string } }[]).map((x) => x.event.status).filter((x) => x !== undefined)
      expect(seen).toEqual(['running', 'paused', 'running', 'stopped'])
    } finally {
      await h.close()
    }
  })
})
