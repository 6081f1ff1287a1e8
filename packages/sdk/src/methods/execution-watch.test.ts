import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { SMCClient } from '../smc-client'
import type { ExecutionStatus } from '../types'
import { supersedes } from './execution-watch'

// watchExecution against a scripted peer: its polled answers lag behind its stream frames, the way
// a status read just before a frame is sent arrives just after it. Progress must never go back.
const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

const status = (processed: number, s: ExecutionStatus['status'] = 'running'): ExecutionStatus => ({
  execution_id: 7,
  task_type: 'backtest',
  task_id: 'bt_1',
  execution_number: 1,
  status: s,
  progress: (processed / 1000) * 100,
  processed,
  total: 1000,
  started_at: '2024-01-01T00:00:00.000Z',
  completed_at: s === 'completed' ? '2024-01-01T00:01:00.000Z' : null,
  error_message: null,
  has_checkpoint: false,
  checkpoint: null,
})

/** A server whose status endpoint answers `polled` in turn (then the last again) and whose stream sends `framed` once subscribed. */
async function scripted(polled: ExecutionStatus[], framed: ExecutionStatus[]): Promise<string> {
  let n = 0
  const server = createServer((req, res) => {
    const body = req.url === '/v1/executions/7/status' ? polled[Math.min(n++, polled.length - 1)] : undefined
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body ?? { error: { code: 'NOT_FOUND', message: 'no', details: {}, timestamp: '', request_id: '' } }))
  })
  servers.push(server)
  new WebSocketServer({ server }).on('connection', (ws) => {
    let seq = 0
    const send = (type: string, data: object, channel?: string) =>
      ws.send(JSON.stringify({ seq: ++seq, type, data, ...(channel ? { channel } : {}), timestamp: '2024-01-01T00:00:00.000Z', id: `m${seq}` }))
    send('authenticated', { user_id: 'demo', scopes: ['read_trades'], expires_at: '2030-01-01T00:00:00.000Z' })
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString())
      if (m.type !== 'subscribe') return
      send('subscribed', { channels: [m.channel], added: [m.channel], request_id: m.request_id })
      for (const s of framed) send('execution_update', s, 'executions.7')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`
}

describe('watchExecution: progress never goes back', () => {
  it('supersedes: behind the last is stale, unless the run is over', () => {
    expect(supersedes(status(289), status(294))).toBe(false)
    expect(supersedes(status(294), status(294))).toBe(true)
    expect(supersedes(status(294, 'paused'), status(294))).toBe(true)
    expect(supersedes(status(100, 'stopped'), status(294))).toBe(true)
  })

  it('a polled status older than a streamed one is skipped; the terminal one ends the watch', async () => {
    // Poll 1 (10), then the frame (50) arrives, then poll 2 answers what was true before it (30).
    const url = await scripted([status(10), status(30), status(1000, 'completed')], [status(50)])
    const seen: number[] = []
    for await (const s of new SMCClient('t', { baseUrl: url, retry: false }).watchExecution(7, { intervalMs: 300 })) seen.push(s.processed)
    expect(seen).toEqual([10, 50, 1000])
  })
})
