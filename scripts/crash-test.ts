// Crash test: the real server on a file database takes orders at a high rate, is killed with
// SIGKILL mid-load, and restarted on the same file. Then:
//   - every order acknowledged with a 2xx before the kill is in the store, at least as far along as
//     it was acknowledged (same terminal status, never less filled);
//   - a repeated client_order_id still returns the original order (idempotency survives the crash);
//   - the ledger reconciles exactly: balance = initial + Σ fill PnL − Σ commissions (to the atom),
//     realized PnL and commissions match their fills, each order's filled quantity is the sum of its
//     fills, and each symbol's open position is the net of its fills;
//   - a bot's /v1/ws stream, open during the load, resumes after the restart from the last event it
//     received: the missed events come back contiguous (no id skipped), including those of orders
//     placed after the restart (a reused id would hide them).
// Exits non-zero on any violation. Usage: pnpm crash-test   (CRASH_ROUNDS=3 for more kills)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, kill, startServer } from './lib/server'
import { eventSeq, openStream } from './lib/stream'

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 2)
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 24)
const INITIAL = 10_000_000
const SYMBOLS = [
  { symbol: 'BTCUSDT', qty: [0.001, 0.002, 0.005], decimals: 5 },
  { symbol: 'ETHUSDT', qty: [0.01, 0.05, 0.1], decimals: 4 },
  { symbol: 'SOLUSDT', qty: [0.1, 0.5, 1], decimals: 3 },
]

interface Order {
  order_id: string
  client_order_id: string | null
  symbol: string
  side: 'buy' | 'sell'
  status: string
  quantity: number
  filled_quantity: number
  commission: number
}
interface Trade {
  id: string
  order_id: string
  symbol: string
  side: 'buy' | 'sell'
  quantity: number
  commission: number
  pnl: number
}
interface Position {
  symbol: string
  side: 'long' | 'short'
  quantity: number
}

const atoms = (x: number): number => Math.round(x * 1e8)
const TERMINAL = new Set(['filled', 'cancelled', 'rejected', 'expired'])
const failures: string[] = []
const fail = (m: string): void => {
  failures.push(m)
  if (failures.length <= 20) console.error(`  ✗ ${m}`)
}

let seq = 0
/** A random-ish but reproducible order: mostly market orders, some resting limits, all with a client id. */
function nextOrder(round: number, mark: Map<string, number>) {
  const i = seq++
  const s = SYMBOLS[i % SYMBOLS.length]!
  const side = (i >> 1) % 2 === 0 ? 'buy' : 'sell'
  const quantity = s.qty[i % s.qty.length]!
  const base = { symbol: s.symbol, side, quantity, client_order_id: `crash-${round}-${i}` }
  const price = mark.get(s.symbol)
  if (i % 7 === 3 && price) {
    // A limit a little away from the touch: rests, may fill on a later tick.
    const p = side === 'buy' ? price * 0.999 : price * 1.001
    return { ...base, type: 'limit', price: Math.round(p * 100) / 100, time_in_force: 'GTC' }
  }
  return { ...base, type: 'market' }
}

/** Every page of a list endpoint. */
async function all<T>(c: Client, path: string, key: string, paging: 'offset' | 'page'): Promise<T[]> {
  const out: T[] = []
  for (let n = 0; ; n++) {
    const q = paging === 'offset' ? `limit=1000&offset=${n * 1000}` : `limit=1000&page=${n + 1}`
    const res = await c.json<Record<string, unknown>>('GET', `${path}${path.includes('?') ? '&' : '?'}${q}`)
    const items = res[key] as T[]
    out.push(...items)
    if (items.length < 1000) return out
  }
}

/** Workers sending orders until the server dies under them (or `stop`); acknowledged orders go to `acked`. */
async function load(c: Client, round: number, acked: Map<string, Order>): Promise<{ stop(): void; done: Promise<{ sent: number; errors: number }> }> {
  const mark = new Map<string, number>()
  for (const s of SYMBOLS) mark.set(s.symbol, (await c.json<{ price: number }>('GET', `/v1/market-data/${s.symbol}`)).price)
  let sent = 0
  let errors = 0
  let stopped = false
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const body = nextOrder(round, mark)
      requests.set(body.client_order_id, body)
      sent++
      let res
      try {
        res = await c.send('POST', '/v1/trades', body)
      } catch {
        return // the server died under this request: not acknowledged, nothing to check
      }
      if (res.status === 200 || res.status === 201) {
        const o = JSON.parse(res.body) as Order
        acked.set(o.order_id, o)
      } else if (res.status !== 400) errors++ // 400s are denials (a limit off the book, …): fine
    }
  }
  const done = Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() => ({ sent, errors }))
  return { stop: () => void (stopped = true), done }
}

async function verify(c: Client, acked: Map<string, Order>, retries: Order[]): Promise<void> {
  const orders = new Map((await all<Order>(c, '/v1/orders', 'orders', 'offset')).map((o) => [o.order_id, o]))
  let missing = 0
  for (const [id, a] of acked) {
    const o = orders.get(id)
    if (!o) {
      missing++
      fail(`acknowledged order ${id} (${a.status}) is not in the store`)
      continue
    }
    if (TERMINAL.has(a.status) && o.status !== a.status) fail(`order ${id}: acknowledged ${a.status}, stored ${o.status}`)
    if (atoms(o.filled_quantity) < atoms(a.filled_quantity)) fail(`order ${id}: acknowledged filled ${a.filled_quantity}, stored ${o.filled_quantity}`)
  }
  console.log(`  ${acked.size} acknowledged orders checked, ${missing} missing; ${orders.size} orders in the store`)

  for (const a of retries) {
    // The same order again (another order under the same id would be an IDEMPOTENCY_CONFLICT).
    const res = await c.send('POST', '/v1/trades', requests.get(a.client_order_id!)!)
    const o = JSON.parse(res.body) as Order
    if (res.status !== 200 || o.order_id !== a.order_id) fail(`client_order_id ${a.client_order_id}: retry after restart gave ${res.status} ${o.order_id ?? res.body}`)
  }
  console.log(`  ${retries.length} client_order_id retries after the restart returned the original order`)

  const trades = await all<Trade>(c, '/v1/trades/history', 'trades', 'page')
  const account = await c.json<{ initial_balance: number; balance: number; realized_pnl: number; commission_paid: number }>('GET', '/v1/account')
  const positions = await all<Position>(c, '/v1/positions', 'positions', 'offset')
  let pnl = 0
  let fees = 0
  const net = new Map<string, number>()
  const filledByOrder = new Map<string, number>()
  const feesByOrder = new Map<string, number>()
  for (const t of trades) {
    pnl += atoms(t.pnl)
    fees += atoms(t.commission)
    const lots = atoms(t.quantity) * (t.side === 'buy' ? 1 : -1)
    net.set(t.symbol, (net.get(t.symbol) ?? 0) + lots)
    filledByOrder.set(t.order_id, (filledByOrder.get(t.order_id) ?? 0) + atoms(t.quantity))
    feesByOrder.set(t.order_id, (feesByOrder.get(t.order_id) ?? 0) + atoms(t.commission))
  }
  if (atoms(account.balance) !== atoms(account.initial_balance) + pnl - fees)
    fail(`balance ${account.balance} ≠ initial ${account.initial_balance} + Σpnl ${pnl / 1e8} − Σcommission ${fees / 1e8}`)
  if (atoms(account.realized_pnl) !== pnl) fail(`realized_pnl ${account.realized_pnl} ≠ Σ fill pnl ${pnl / 1e8}`)
  if (atoms(account.commission_paid) !== fees) fail(`commission_paid ${account.commission_paid} ≠ Σ fill commissions ${fees / 1e8}`)
  for (const o of orders.values()) {
    if ((filledByOrder.get(o.order_id) ?? 0) !== atoms(o.filled_quantity)) fail(`order ${o.order_id}: filled ${o.filled_quantity} ≠ Σ its fills ${(filledByOrder.get(o.order_id) ?? 0) / 1e8}`)
    if ((feesByOrder.get(o.order_id) ?? 0) !== atoms(o.commission)) fail(`order ${o.order_id}: commission ${o.commission} ≠ Σ its fills`)
  }
  for (const s of SYMBOLS) {
    const open = positions.filter((p) => p.symbol === s.symbol)
    if (open.length > 1) fail(`${s.symbol}: ${open.length} open positions`)
    const held = open.reduce((n, p) => n + atoms(p.quantity) * (p.side === 'long' ? 1 : -1), 0)
    if (held !== (net.get(s.symbol) ?? 0)) fail(`${s.symbol}: open position ${held / 1e8} ≠ net of fills ${(net.get(s.symbol) ?? 0) / 1e8}`)
  }
  console.log(`  ledger: ${trades.length} fills, balance ${account.balance} = ${account.initial_balance} + ${pnl / 1e8} − ${fees / 1e8}; positions = net fills for ${SYMBOLS.length} symbols`)
}

/** Every account channel: each account event comes once, so the ids a client sees are contiguous. */
const ACCOUNT_CHANNELS = ['trades', 'positions', 'risk']

async function verifyResume(c: Client, port: number, token: string, lastId: string | undefined, live: number): Promise<void> {
  if (!lastId) return fail('the stream received no event before the kill')
  // New events after the restart: had the server numbered them with ids a client already held,
  // resuming from such an id would skip them.
  const placed: string[] = []
  for (let i = 0; i < 10; i++) placed.push((await c.json<Order>('POST', '/v1/trades', { symbol: 'BTCUSDT', side: i % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001 })).order_id)
  const s = await openStream(port, token, ACCOUNT_CHANNELS, lastId)
  const end = await s.next((f) => f.type === 'resumed' || f.type === 'resync_required' || f.type === 'error')
  s.close()
  if (end.type !== 'resumed') return fail(`resuming from ${lastId} after the restart: ${end.type} ${JSON.stringify(end.data)}`)
  const replayed = s.frames.filter((f) => f.replayed)
  let expected = eventSeq(lastId) + 1
  for (const f of replayed) {
    if (eventSeq(f.id) !== expected) return fail(`resumed from ${lastId}: event ${f.id} where ${expected} was due (a gap)`)
    expected++
  }
  const seen = new Set(replayed.map((f) => f.data.order_id))
  const missing = placed.filter((id) => !seen.has(id))
  if (missing.length > 0) return fail(`resumed from ${lastId}: no events for ${missing.length} orders placed after the restart (a gap hidden by reused ids)`)
  console.log(`  stream: ${live} events live before the kill; resumed from ${lastId}: ${replayed.length} replayed, contiguous, with the ${placed.length} orders placed after the restart`)
}

const dir = mkdtempSync(join(tmpdir(), 'smc-crash-'))
const db = join(dir, 'crash.db')
const env = { PAPER_INITIAL_BALANCE: String(INITIAL), JWT_SECRET: 'crash-test-secret-crash-test-secret-0123' }
const acked = new Map<string, Order>()
/** Each order request by client_order_id: a retry sends exactly the same order. */
const requests = new Map<string, object>()
let server = await startServer(db, env)
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const c = new Client(server.port)
    const token = await c.login()
    await c.json('PUT', '/v1/risk/limits', { max_daily_loss: 1e9, max_drawdown: 1, max_position_size: 1e6 })
    const killAfter = 1500 + Math.floor(Math.random() * 1000)
    const before = acked.size
    // A bot's stream during the load: the last event it gets before the kill is where it resumes.
    const live = await openStream(server.port, token, ACCOUNT_CHANNELS)
    const run = await load(c, round, acked)
    await new Promise((r) => setTimeout(r, killAfter))
    await kill(server.child, 'SIGKILL')
    live.close()
    const events = live.frames.filter((f) => f.id?.startsWith('evt_'))
    run.stop()
    const { sent, errors } = await run.done
    c.close()
    console.log(`round ${round}: SIGKILL after ${killAfter} ms under load: ${sent} orders sent, ${acked.size - before} acknowledged, ${errors} unexpected statuses`)
    if (errors > 0) fail(`round ${round}: ${errors} orders answered with an unexpected status`)
    if (acked.size === before) fail(`round ${round}: no order was acknowledged before the kill`)
    server = await startServer(db, env)
    const v = new Client(server.port)
    const vToken = await v.login()
    const withIds = [...acked.values()].filter((o) => o.client_order_id !== null)
    await verify(v, acked, withIds.slice(-25))
    await verifyResume(v, server.port, vToken, events.at(-1)?.id, events.length)
    v.close()
  }
} finally {
  await kill(server.child)
  rmSync(dir, { recursive: true, force: true })
}
if (failures.length > 0) {
  console.error(`crash test FAILED: ${failures.length} violation(s)`)
  process.exit(1)
}
console.log('crash test passed')
