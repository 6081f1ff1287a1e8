// The WebSocket protocol against the AsyncAPI document: connect with a token, subscribe, every
// frame valid and `seq` gapless from 1, client mistakes answered with an error frame, unsubscribe;
// a bad token refused. Each step is a case of `WS <address>` under the streaming tag.
import WebSocket from 'ws'
import type { Problem } from './checks/response'
import { resolvePointer, type Json } from './documents'
import type { Runner } from './runner'
import { ContractValidator } from './schema/validator'
import type { CaseResult } from './results'

interface Frame {
  raw: string
  json: Json
}

/** Server frame `type` → payload schema pointer, and the client message schemas, from the document. */
export function streamMessages(asyncapi: Json): { server: Map<string, string>; client: string[] } {
  const server = new Map<string, string>()
  const client: string[] = []
  for (const op of Object.values((asyncapi.operations ?? {}) as Json)) {
    for (const ref of (op.messages ?? []) as Json[]) {
      let m = resolvePointer(asyncapi, ref.$ref)
      if (m?.$ref) m = resolvePointer(asyncapi, m.$ref)
      const payloadRef = m?.payload?.$ref
      if (typeof payloadRef !== 'string') continue
      if (op.action === 'send') {
        const type = resolvePointer(asyncapi, payloadRef)?.properties?.type?.enum?.[0]
        if (typeof type === 'string') server.set(type, payloadRef)
      } else client.push(payloadRef)
    }
  }
  return { server, client }
}

class Socket {
  readonly frames: Frame[] = []
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame | undefined) => void }[] = []
  closed?: { code: number; reason: string }
  private closeWaiters: (() => void)[] = []

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const raw = data.toString()
      let json: Json
      try {
        json = JSON.parse(raw)
      } catch {
        json = { unparsable: raw }
      }
      const f = { raw, json }
      this.frames.push(f)
      this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true))
    })
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      for (const w of this.waiters) w.resolve(undefined)
      this.waiters = []
      for (const c of this.closeWaiters) c()
    })
    ws.on('error', () => {})
  }

  /** The first frame (already received or coming) that matches, or undefined after `ms`. */
  next(pred: (f: Frame) => boolean, ms = 5000, from = 0): Promise<Frame | undefined> {
    const seen = this.frames.slice(from).find(pred)
    if (seen) return Promise.resolve(seen)
    if (this.closed) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const w = { pred, resolve }
      this.waiters.push(w)
      setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w)
        resolve(undefined)
      }, ms).unref?.()
    })
  }

  whenClosed(ms = 5000): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve)
      setTimeout(resolve, ms).unref?.()
    })
  }
}

function open(url: string): Promise<Socket | Error> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    const s = new Socket(ws)
    ws.once('open', () => resolve(s))
    ws.once('unexpected-response', (_req, res) => resolve(new Error(`upgrade refused: HTTP ${res.statusCode}`)))
    ws.once('error', (e) => resolve(e))
  })
}

export async function runWebSocket(r: Runner): Promise<void> {
  const asyncapi = r.asyncapi
  const channel = Object.values((asyncapi.channels ?? {}) as Json)[0] as Json | undefined
  const address = String(channel?.address ?? '/v1/ws')
  const label = `WS ${address}`
  const meta = { tag: 'streaming', operation: label, operationId: 'websocket' }
  const record = (name: string, problems: Problem[], started: number, extra: Partial<CaseResult> = {}): void => {
    r.results.push({ ...meta, name, status: problems.length ? 'failed' : 'passed', durationMs: performance.now() - started, ...(problems.length ? { problems } : {}), ...extra })
    if (problems.length) r.log(`  FAIL ${label} [${name}]: ${problems[0]!.message}`)
  }
  if (!r.tokens.user) {
    r.results.push({ ...meta, name: 'all cases', status: 'skipped', durationMs: 0, skipReason: 'no user token' })
    return
  }
  const validator = new ContractValidator(asyncapi)
  const { server, client } = streamMessages(asyncapi)
  const wsBase = r.options.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')
  const symbol = r.ids.symbol ?? 'BTCUSDT'

  /** Problems of one server frame against the document. */
  const frameProblems = (f: Frame): Problem[] => {
    const type = f.json.type
    const ref = typeof type === 'string' ? server.get(type) : undefined
    if (!ref) return [{ message: `frame of type ${JSON.stringify(type)} is not described by the AsyncAPI document: ${f.raw.slice(0, 200)}` }]
    return validator.validate(ref, { $ref: ref }, f.json).map((p) => ({ message: `${type} frame${p.instancePath === '/' ? '' : p.instancePath}: ${p.message}`, schemaPath: p.schemaPath }))
  }
  /** The tool sends only messages the document describes. */
  const send = (s: Socket, msg: Json): void => {
    if (!client.some((ref) => validator.matches(ref, { $ref: ref }, msg))) throw new Error(`internal: ${JSON.stringify(msg)} matches no client message of the AsyncAPI document`)
    s.ws.send(JSON.stringify(msg))
  }

  let t = performance.now()
  const url = `${wsBase}${address}?token=${encodeURIComponent(r.tokens.user)}`
  const opened = await open(url)
  if (opened instanceof Error) {
    record('connect with a token', [{ message: `cannot connect: ${opened.message}` }], t, { request: { method: 'GET', url: url.replace(/token=[^&]+/, 'token=<redacted>') } })
    return
  }
  const s = opened
  const connected = await s.next((f) => f.json.type === 'connected')
  record('connect with a token → connected', connected ? [] : [{ message: `no connected frame within 5 s${s.closed ? ` (closed ${s.closed.code} ${s.closed.reason})` : ''}` }], t)

  t = performance.now()
  const channels = [`market_data.${symbol}`, 'trades', 'positions', 'system.health']
  let from = s.frames.length
  send(s, { type: 'subscribe', channels, request_id: 'ct-sub' })
  const subscribed = await s.next((f) => f.json.type === 'subscribed' || f.json.type === 'error', 5000, from)
  const subProblems: Problem[] = []
  if (!subscribed) subProblems.push({ message: 'no subscribed frame within 5 s' })
  else if (subscribed.json.type !== 'subscribed') subProblems.push({ message: `subscribe answered with ${subscribed.raw.slice(0, 300)}` })
  else {
    const got = (subscribed.json.data?.channels ?? []) as string[]
    for (const c of channels) if (!got.includes(c)) subProblems.push({ message: `subscribed frame does not list ${c}: ${subscribed.raw.slice(0, 300)}` })
    if (subscribed.json.data?.request_id !== 'ct-sub') subProblems.push({ message: `subscribed frame does not echo request_id ct-sub` })
  }
  record(`subscribe ${channels.join(', ')}`, subProblems, t)

  t = performance.now()
  const health = await s.next((f) => f.json.type === 'health_update', 5000, from)
  record('system.health sends a health_update', health ? [] : [{ message: 'no health_update within 5 s of subscribing to system.health' }], t)

  // An order placed through REST shows on the account channels.
  if (r.wants('trading') && r.ids.symbol) {
    t = performance.now()
    from = s.frames.length
    const order = r.op('post', '/v1/trades')
    const ex = await r.run(order, {
      name: 'link: an order placed while subscribed',
      request: { method: 'POST', path: '/v1/trades', token: r.tokens.user, body: { symbol, side: 'sell', type: 'market', quantity: r.linkQuantity ?? 0.001 } },
      expected: r.expectDomain(order),
    })
    if (ex && ex.status === 201) {
      const id = (ex.json as Json).order_id
      const update = await s.next((f) => f.json.type === 'trade_update' && JSON.stringify(f.json.data).includes(id), 5000, from)
      record('trades: trade_update of an order placed through REST', update ? [] : [{ message: `no trade_update for order ${id} within 5 s` }], t)
    }
  }

  // A client mistake: an error frame naming it, the connection stays open.
  t = performance.now()
  from = s.frames.length
  send(s, { type: 'subscribe', channel: 'no_such_channel', request_id: 'ct-bad' })
  const err = await s.next((f) => f.json.type === 'error', 5000, from)
  record('subscribe to an unknown channel → error frame', err ? (s.closed ? [{ message: `the connection closed after a client mistake (${s.closed.code})` }] : []) : [{ message: 'no error frame within 5 s for an unknown channel' }], t)

  t = performance.now()
  from = s.frames.length
  send(s, { type: 'ping' })
  const pong = await s.next((f) => f.json.type === 'pong', 5000, from)
  record('ping → pong', pong ? [] : [{ message: 'no pong within 5 s' }], t)

  t = performance.now()
  from = s.frames.length
  send(s, { type: 'unsubscribe', channels, request_id: 'ct-unsub' })
  const unsub = await s.next((f) => f.json.type === 'unsubscribed' || f.json.type === 'error', 5000, from)
  record(
    'unsubscribe',
    !unsub ? [{ message: 'no unsubscribed frame within 5 s' }] : unsub.json.type !== 'unsubscribed' ? [{ message: `unsubscribe answered with ${unsub.raw.slice(0, 300)}` }] : [],
    t,
  )

  // Every frame of the connection: valid, and seq 1, 2, 3, … without a gap.
  t = performance.now()
  s.ws.close(1000)
  await s.whenClosed()
  const problems: Problem[] = []
  s.frames.forEach((f, i) => {
    for (const p of frameProblems(f)) problems.push({ ...p, message: `frame ${i + 1}: ${p.message}` })
    if (f.json.seq !== i + 1) problems.push({ message: `frame ${i + 1} has seq ${JSON.stringify(f.json.seq)}, expected ${i + 1} (a gap or a repeat)` })
  })
  record(`${s.frames.length} frames valid against the AsyncAPI document, seq gapless`, problems.slice(0, 20), t)

  // No token in the URL, then an authenticate message: an authenticated frame, valid, seq from 1.
  t = performance.now()
  const later = await open(`${wsBase}${address}`)
  if (later instanceof Error) record('connect without a token, then authenticate', [{ message: `cannot connect: ${later.message}` }], t)
  else {
    send(later, { type: 'authenticate', token: r.tokens.user, request_id: 'ct-auth' })
    const ok = await later.next((f) => f.json.type === 'authenticated' || f.json.type === 'error')
    const p: Problem[] = []
    if (!ok) p.push({ message: 'no authenticated frame within 5 s of an authenticate message' })
    else if (ok.json.type !== 'authenticated') p.push({ message: `authenticate answered with ${ok.raw.slice(0, 300)}` })
    later.frames.forEach((f, i) => {
      p.push(...frameProblems(f))
      if (f.json.seq !== i + 1) p.push({ message: `frame ${i + 1} has seq ${JSON.stringify(f.json.seq)}, expected ${i + 1}` })
    })
    later.ws.close(1000)
    await later.whenClosed()
    record('connect without a token, then authenticate → authenticated', p, t)
  }

  // A bad token: an error frame (AUTHENTICATION_FAILED) and close 1008, or the upgrade refused.
  t = performance.now()
  const bad = await open(`${wsBase}${address}?token=not-a-token`)
  if (bad instanceof Error) record('connect with a bad token → refused', [], t)
  else {
    const e = await bad.next((f) => f.json.type === 'error')
    await bad.whenClosed()
    const p: Problem[] = []
    if (!e) p.push({ message: 'no error frame for a bad token' })
    else p.push(...frameProblems(e))
    if (bad.closed?.code !== 1008) p.push({ message: `a bad token should close with 1008, closed with ${bad.closed?.code ?? 'nothing (still open)'}` })
    if (!bad.closed) bad.ws.terminate()
    record('connect with a bad token → error frame, close 1008', p, t)
  }
}
