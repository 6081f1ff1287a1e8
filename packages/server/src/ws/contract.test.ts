import { describe, expect, it } from 'vitest'
import { asyncApi, asyncApiProblems, assertClientMessage, assertServerFrame, serverMessageSchemas } from '../testing/ws-contract'

describe('openapi/smc-trading.ws.yaml', () => {
  it('is an AsyncAPI 3 document whose every $ref resolves and whose payloads are OpenAPI components', () => {
    expect(asyncApi.asyncapi).toBe('3.0.0')
    expect(asyncApi.channels.stream.address).toBe('/v1/ws')
    expect(asyncApiProblems()).toEqual([])
  })

  it('describes every server frame type once', () => {
    expect([...serverMessageSchemas.keys()].sort()).toEqual(
      [
        'authenticated',
        'connected',
        'cycle_complete',
        'cycle_start',
        'engine_update',
        'error',
        'execution_update',
        'health_update',
        'market_data_update',
        'pong',
        'position_update',
        'prediction_update',
        'quote_update',
        'resumed',
        'resync_required',
        'risk_event',
        'scan_result',
        'signal',
        'strategy_event',
        'subscribed',
        'trade_update',
        'unsubscribed',
      ].sort(),
    )
  })

  it('validates its own examples, and rejects frames that break the envelope', () => {
    for (const m of Object.values(asyncApi.components.messages) as { name: string; examples?: { payload: unknown }[] }[])
      for (const ex of m.examples ?? []) {
        if (serverMessageSchemas.has(m.name)) assertServerFrame(ex.payload)
        else assertClientMessage(ex.payload)
      }
    const good = { seq: 1, type: 'pong', data: { server_time: '2024-01-01T00:00:00.000Z' }, timestamp: '2024-01-01T00:00:00.000Z', id: 'm_1' }
    expect(() => assertServerFrame(good)).not.toThrow()
    expect(() => assertServerFrame({ ...good, seq: 0 })).toThrow(/seq/)
    expect(() => assertServerFrame({ ...good, type: 'surprise' })).toThrow(/does not describe/)
    expect(() => assertServerFrame({ ...good, extra: 1 })).toThrow()
    expect(() => assertClientMessage({ type: 'subscribe', channel: 'market_data', symbol: 'BTCUSDT' })).not.toThrow()
    expect(() => assertClientMessage({ action: 'subscribe', channels: ['positions'] })).not.toThrow()
    expect(() => assertClientMessage({ hello: 'world' })).toThrow()
  })
})
