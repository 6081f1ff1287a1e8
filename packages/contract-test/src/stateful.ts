// Stateful links between operations: a placed order shows in /v1/orders and /v1/trades/history,
// a repeated client_order_id returns the same order, cancelling changes its status. The objects
// made here (order, position, preset, strategy account, backtest) give later cases real ids.
import type { Problem } from './checks/response'
import type { Json } from './documents'
import type { Exchange, HttpRequest } from './http'
import type { Runner } from './runner'

type Check = (body: Json, ex: Exchange) => string | undefined

/** One linked call, recorded as a case of its operation; resolves to the body when it passed. */
async function call(r: Runner, method: string, path: string, name: string, request: Omit<HttpRequest, 'method' | 'path' | 'token'> & { path?: string } = {}, check?: Check): Promise<Json | undefined> {
  const op = r.op(method, path)
  const auth = r.tokenFor(op)
  if (auth.skip) {
    r.skip(op, name, auth.skip)
    return undefined
  }
  let ok = false
  const ex = await r.run(op, {
    name,
    request: { method: method.toUpperCase(), path: request.path ?? path, query: request.query, body: request.body, token: auth.token, headers: auth.headers },
    expected: r.expectSuccess(op),
    check: (x): Problem[] => {
      const problem = check?.((x.json ?? {}) as Json, x)
      ok = !problem
      return problem ? [{ message: problem }] : []
    },
  })
  return ok && ex ? ((ex.json ?? {}) as Json) : undefined
}

const roundTo = (value: number, step: number): number => {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  return Number((Math.floor(value / step) * step).toFixed(decimals))
}

/** A small market order's quantity: a few times the minimum notional, on the lot size. */
function smallQuantity(instrument: Json, price: number): number {
  const lot = Number(instrument.lot_size) || 0.001
  const minQty = Number(instrument.min_quantity) || lot
  const notional = Number(instrument.min_notional) || 10
  return Math.max(minQty, roundTo(Math.max((notional * 3) / price, minQty) + lot, lot))
}

export async function runLinks(r: Runner): Promise<void> {
  const tag = (t: string): boolean => r.wants(t)
  // The symbol every case uses: BTCUSDT when the server lists it.
  const list = await call(r, 'get', '/v1/instruments', 'link: pick an instrument', {}, (b) => (Array.isArray(b.instruments) && b.instruments.length ? undefined : 'no instruments listed'))
  const instruments = (list?.instruments ?? []) as Json[]
  const instrument = instruments.find((i) => i.symbol === 'BTCUSDT') ?? instruments[0]
  if (!instrument) return
  r.ids.symbol = instrument.symbol
  const quote = await call(r, 'get', '/v1/market-data/{symbol}', 'link: price of the chosen symbol', { path: `/v1/market-data/${instrument.symbol}` })
  const price = Number(quote?.price)
  const seed = r.options.seed ?? 1
  const unique = `${seed}-${Date.now().toString(36)}`

  if (tag('trading') && Number.isFinite(price) && price > 0) {
    const quantity = smallQuantity(instrument, price)
    r.linkQuantity = quantity
    const order = { symbol: instrument.symbol, side: 'buy', type: 'market', quantity, client_order_id: `ct-${unique}-1` }
    const placed = await call(r, 'post', '/v1/trades', 'link: place a market order', { body: order }, (b, ex) => (ex.status === 201 ? undefined : `a new order answers 201, got ${ex.status}`))
    if (placed?.order_id) {
      r.ids.order_id = placed.order_id
      await call(r, 'post', '/v1/trades', 'link: the same client_order_id returns the same order', { body: order }, (b, ex) =>
        ex.status !== 200 ? `a repeated client_order_id answers 200, got ${ex.status}` : b.order_id !== placed.order_id ? `a repeated client_order_id returned order ${b.order_id}, not ${placed.order_id}` : undefined,
      )
      await call(r, 'get', '/v1/orders', 'link: the placed order is listed', { query: { symbol: instrument.symbol, limit: '1000' } }, (b) =>
        (b.orders as Json[] | undefined)?.some((o) => o.order_id === placed.order_id) ? undefined : `order ${placed.order_id} is not in /v1/orders`,
      )
      await call(r, 'get', '/v1/orders/{order_id}', 'link: the placed order by id', { path: `/v1/orders/${placed.order_id}` }, (b) => (b.order_id === placed.order_id ? undefined : `asked for ${placed.order_id}, got ${b.order_id}`))
      if (placed.status === 'filled' || placed.status === 'partially_filled')
        await call(r, 'get', '/v1/trades/history', 'link: the fill is in the trade history', { query: { symbol: instrument.symbol, limit: '1000' } }, (b) =>
          (b.trades as Json[] | undefined)?.some((t) => t.order_id === placed.order_id) ? undefined : `no trade of order ${placed.order_id} in /v1/trades/history`,
        )
      const positions = await call(r, 'get', '/v1/positions', 'link: the fill opened a position', { query: { symbol: instrument.symbol } }, (b) =>
        placed.status !== 'filled' || (b.positions as Json[] | undefined)?.length ? undefined : `order ${placed.order_id} filled but /v1/positions has no ${instrument.symbol} position`,
      )
      const position = (positions?.positions as Json[] | undefined)?.[0]
      if (position) r.ids.position_id = position.position_id ?? position.id
    }
    // A resting limit order far below the market, then cancelled.
    const tick = Number(instrument.tick_size) || 0.01
    const resting = await call(r, 'post', '/v1/trades', 'link: place a resting limit order', {
      body: { symbol: instrument.symbol, side: 'buy', type: 'limit', quantity: smallQuantity(instrument, price * 0.7), price: roundTo(price * 0.7, tick), time_in_force: 'GTC', client_order_id: `ct-${unique}-2` },
    }, (b) => (b.status === 'new' || b.status === 'pending_new' ? undefined : `a limit order 30 % below the market should rest, got status ${b.status}`))
    if (resting?.order_id) {
      await call(r, 'delete', '/v1/orders/{order_id}', 'link: cancel the resting order', { path: `/v1/orders/${resting.order_id}` })
      await call(r, 'get', '/v1/orders/{order_id}', 'link: a cancelled order shows status cancelled', { path: `/v1/orders/${resting.order_id}` }, (b) =>
        b.status === 'cancelled' ? undefined : `after DELETE /v1/orders/${resting.order_id} its status is ${b.status}, not cancelled`,
      )
    }
  }

  if (tag('presets') || tag('scanner') || tag('engine')) {
    const presets = await call(r, 'get', '/v1/presets', 'link: list presets')
    const first = (presets?.presets as Json[] | undefined)?.[0]
    if (first) {
      r.ids.preset = first.name
      r.ids['/v1/scanner/market-data/{symbol}:preset'] = first.name
      const name = `ct_${unique.replace(/-/g, '_')}`
      const created = await call(r, 'post', '/v1/presets', 'link: create a preset from a listed one', { body: { ...stripReadOnly(first), name } }, (b) => (b.name === name ? undefined : `created preset is named ${b.name}, not ${name}`))
      if (created) {
        r.ids.name = name
        r.exampleBodies['PUT /v1/presets/{name}'] = () => ({ ...stripReadOnly(first), name })
        await call(r, 'get', '/v1/presets/{name}', 'link: the created preset by name', { path: `/v1/presets/${name}` }, (b) => (b.name === name ? undefined : `asked for ${name}, got ${b.name}`))
      }
    }
  }

  if (tag('strategy-accounts')) {
    const strategies = await call(r, 'get', '/v1/strategies', 'link: list strategies')
    const strategy = (strategies?.strategies as Json[] | undefined)?.[0]?.name ?? 'sma_crossover'
    const account = await call(r, 'post', '/v1/strategy-accounts', 'link: create a strategy account', { body: { name: `ct-${unique}`, strategy, symbols: [instrument.symbol] } })
    if (account?.account_id) {
      r.ids.account_id = account.account_id
      await call(r, 'get', '/v1/strategy-accounts', 'link: the created account is listed', {}, (b) =>
        JSON.stringify(b).includes(account.account_id) ? undefined : `account ${account.account_id} is not in /v1/strategy-accounts`,
      )
    }
  }

  if (tag('backtests') || tag('executions')) {
    const strategies = await call(r, 'get', '/v1/strategies', 'link: strategies for a backtest')
    const strategy = (strategies?.strategies as Json[] | undefined)?.[0]?.name ?? 'sma_crossover'
    const now = Date.parse(String(quote?.timestamp ?? '')) || Date.now()
    const end = new Date(Math.floor(now / 3_600_000) * 3_600_000 - 3_600_000)
    const start = new Date(end.getTime() - 30 * 3_600_000)
    const body = { strategy, symbol: instrument.symbol, interval: '15m', start_time: start.toISOString(), end_time: end.toISOString() }
    const accepted = await call(r, 'post', '/v1/backtests', 'link: start a backtest', { body })
    if (accepted?.task_id) {
      r.ids.task_id = accepted.task_id
      r.ids.execution_id = accepted.execution_id
      r.exampleBodies['POST /v1/backtests'] = () => body
      await call(r, 'get', '/v1/backtests/{task_id}', 'link: the backtest by id', { path: `/v1/backtests/${accepted.task_id}` })
      await call(r, 'get', '/v1/executions/{execution_id}/status', 'link: its execution', { path: `/v1/executions/${accepted.execution_id}/status` })
    }
  }
}

/** A served preset as a body: the read-only fields dropped. */
function stripReadOnly(preset: Json): Json {
  const { builtin: _b, modified: _m, updated_at: _u, ...rest } = preset
  return rest
}
