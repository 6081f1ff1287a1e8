import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plantedMarket } from '../../../scanner/scan/test-markets'
import { createTestContext, openSocket, type TestContext } from '../../../testing'

// The engine over the API: commands through the one transition table, its preset locked while it
// runs, the admin emergency stop reaching it, its events on the `engine` channel.
let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' }, { market: () => plantedMarket().market })
  token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'alice')
})
afterEach(() => ctx.close())

const call = async (method: string, path: string, body?: unknown, t = token) => {
  const res = await ctx.call(method, path, { token: t, body })
  return { status: res.status, body: await res.json() }
}

describe('engine over the API', () => {
  it('start → status, commands, pause (idempotent), resume, stop; invalid commands 400 with the allowed ones', async () => {
    expect((await call('GET', '/v1/engine/status')).body).toMatchObject({ state: 'IDLE', preset: null })
    const resumeIdle = await call('POST', '/v1/engine/resume')
    expect([resumeIdle.status, resumeIdle.body.error.code]).toEqual([400, 'INVALID_STATE_TRANSITION'])
    expect(resumeIdle.body.error.details.allowed_commands).toContain('start')
    const start = await call('POST', '/v1/engine/start', { preset: 'breakout_v1' })
    expect([start.status, start.body.command, start.body.state]).toEqual([200, 'start', 'INITIALIZING'])
    await ctx.services.engine.tick()
    const status = (await call('GET', '/v1/engine/status')).body
    expect(status.preset).toBe('breakout_v1')
    expect((await call('GET', '/v1/engine/commands')).body.commands).toContain('pause')
    expect((await call('POST', '/v1/engine/pause', { reason: 'lunch' })).body).toMatchObject({ changed: true, state: 'PAUSED' })
    const again = await call('POST', '/v1/engine/pause')
    expect([again.status, again.body.changed, again.body.state]).toEqual([200, false, 'PAUSED'])
    // The preset is in use while the engine holds it.
    const { body: preset } = await call('GET', '/v1/presets/breakout_v1')
    const locked = await call('PUT', '/v1/presets/breakout_v1', preset)
    expect([locked.status, locked.body.error.code]).toEqual([409, 'PRESET_IN_USE'])
    expect((await call('POST', '/v1/engine/resume')).status).toBe(200)
    expect((await call('POST', '/v1/engine/stop')).body.state).toBe('STOPPED')
    const history = (await call('GET', '/v1/engine/transitions?limit=20')).body
    expect(history.transitions[0]).toMatchObject({ to: 'STOPPED', command: 'stop' })
    expect(history.transitions.map((t: { to: string }) => t.to)).toContain('PAUSED')
    expect((await call('GET', '/v1/engine/resource-health')).body.status).toMatch(/healthy|warning|error/)
  })

  it('live mode and unknown presets are refused; the admin emergency stop forces the engine to EMERGENCY', async () => {
    const live = await call('POST', '/v1/engine/start', { preset: 'balanced', mode: 'live' })
    expect([live.status, live.body.error.code]).toEqual([400, 'LIVE_TRADING_UNAVAILABLE'])
    const unknown = await call('POST', '/v1/engine/start', { preset: 'nope' })
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'PRESET_NOT_FOUND'])
    await call('POST', '/v1/engine/start', { preset: 'balanced' })
    const stop = await call('POST', '/v1/admin/emergency-stop', { confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'drill', flatten_positions: true }, ctx.adminToken)
    expect(stop.status).toBe(200)
    expect((await call('GET', '/v1/engine/status')).body.state).toBe('EMERGENCY')
  })

  it('its transitions reach the owner on the engine channel', async () => {
    const server = await ctx.listen()
    const s = await openSocket(server.wsUrl, { token })
    s.send({ type: 'subscribe', channel: 'engine' })
    await s.next('subscribed')
    await call('POST', '/v1/engine/start', { preset: 'balanced' })
    const update = await s.next('engine_update')
    expect(update.channel).toBe('engine')
    expect(update.data.owner).toBe('alice')
    await s.close()
  })
})
