import { DomainError } from '../core'
import { hasScope } from '../auth'
import { AVAILABLE_CHANNELS, isProblem, parseChannel, type Channel } from './channels'
import type { Connection } from './connection'
import type { CommandContext } from './ports'
import type { ClientCommand, ProtocolError } from './protocol'

type Command = ClientCommand | ProtocolError

/** Execute one client command on a connection. Only authentication is asynchronous. */
export function runCommand(hub: CommandContext, conn: Connection, cmd: Command): void | Promise<void> {
  if (cmd.op === 'invalid') return conn.error(cmd.code, cmd.message, cmd.details, cmd.requestId)
  if (cmd.op === 'authenticate') return authenticate(hub, conn, cmd.token, cmd.requestId)
  if (cmd.op === 'ping') return void conn.reply('pong', withRequest({ server_time: hub.nowIso() }, cmd.requestId))
  if (!conn.principal)
    return conn.error('AUTHENTICATION_REQUIRED', 'Authenticate first: connect with ?token=… or send {"type":"authenticate","token":…}', {}, cmd.requestId)
  if (cmd.op === 'subscribe') return subscribe(hub, conn, cmd)
  if (cmd.op === 'unsubscribe') return unsubscribe(hub, conn, cmd)
  if (cmd.op === 'resume') return resume(hub, conn, cmd.lastEventId, cmd.requestId)
}

const withRequest = <T extends object>(data: T, requestId: string | undefined): T => (requestId === undefined ? data : { ...data, request_id: requestId })

async function authenticate(hub: CommandContext, conn: Connection, token: string, requestId?: string): Promise<void> {
  const result = await hub.verifyAccessToken(token)
  if (conn.closing) return
  const first = !conn.principal
  if ('reason' in result || (conn.principal && conn.principal.userId !== result.userId)) {
    hub.authFailed(conn)
    const reason = 'reason' in result ? result.reason : 'token belongs to another user than this connection'
    conn.error('AUTHENTICATION_FAILED', `Access token rejected: ${reason}`, { reason }, requestId)
    return conn.close(1008, 'authentication failed')
  }
  if (!hub.admit(conn, result)) {
    const limit = hub.options.maxConnectionsPerToken
    conn.error('CONNECTION_LIMIT_EXCEEDED', `At most ${limit} concurrent connections per token`, { limit }, requestId)
    return conn.close(1008, 'connection limit exceeded')
  }
  if (first) conn.reply('connected', hub.welcome(conn))
  // A re-authentication with fewer scopes drops what the new token may not read.
  const lost = [...conn.subs.values()].filter((c) => c.scope && !hasScope(result.scopes, c.scope)).map((c) => c.name)
  for (const name of lost) {
    conn.subs.delete(name)
    hub.leave(conn, name)
  }
  conn.reply(
    'authenticated',
    withRequest(
      {
        user_id: result.userId,
        scopes: result.scopes,
        expires_at: new Date(result.expiresAt).toISOString(),
        last_event_id: lastEventId(hub, result.userId),
      },
      requestId,
    ),
  )
  if (lost.length > 0) conn.reply('unsubscribed', { channels: [...conn.subs.keys()], removed: lost, reason: 'scope_missing' })
}

const lastEventId = (hub: CommandContext, userId: string): string => hub.journal.latestId(userId) ?? hub.journal.idOf(0)

type SubCmd = Extract<ClientCommand, { op: 'subscribe' | 'unsubscribe' }>

function resolveChannels(hub: CommandContext, conn: Connection, cmd: SubCmd): Channel[] | undefined {
  const parsed = cmd.channels.map((c) => parseChannel(c, cmd.symbol, hub.isSymbol))
  const problem = parsed.find(isProblem)
  if (problem) {
    const details: Record<string, unknown> = { channel: problem.channel }
    if (problem.code === 'INVALID_SYMBOL') Object.assign(details, { symbol: problem.symbol, available_symbols: hub.symbols().filter(hub.isSymbol) })
    else details.available_channels = AVAILABLE_CHANNELS
    conn.error(problem.code, problem.message, details, cmd.requestId)
    return undefined
  }
  return parsed as Channel[]
}

function subscribe(hub: CommandContext, conn: Connection, cmd: SubCmd): void {
  const channels = resolveChannels(hub, conn, cmd)
  if (!channels) return
  const scopes = conn.principal!.scopes
  const denied = channels.find((c) => c.scope && !hasScope(scopes, c.scope))
  if (denied)
    return conn.error('INSUFFICIENT_PERMISSIONS', `Channel '${denied.name}' requires the scope ${denied.scope}`, {
      channel: denied.name,
      required: [denied.scope],
      granted: scopes,
    }, cmd.requestId)
  for (const c of channels) {
    if (c.executionId === undefined) continue
    try {
      if (!hub.executionAccess) throw new DomainError('NOT_FOUND', `Execution ${c.executionId} not found`)
      hub.executionAccess(c.executionId, conn.principal!)
    } catch (e) {
      if (!(e instanceof DomainError)) throw e
      return conn.error(e.code, e.message, { channel: c.name, ...e.details }, cmd.requestId)
    }
  }
  const added = [...new Map(channels.filter((c) => !conn.subs.has(c.name)).map((c) => [c.name, c])).values()]
  const max = hub.options.maxSubscriptions
  if (conn.subs.size + added.length > max)
    return conn.error('SUBSCRIPTION_LIMIT_EXCEEDED', `At most ${max} channels per connection`, { limit: max, subscribed: conn.subs.size, requested: added.length }, cmd.requestId)
  for (const c of added) {
    conn.subs.set(c.name, c)
    hub.join(conn, c.name)
  }
  const account = [...conn.subs.values()].some((c) => c.account)
  conn.reply(
    'subscribed',
    withRequest(
      {
        channels: [...conn.subs.keys()],
        added: added.map((c) => c.name),
        ...(account ? { last_event_id: lastEventId(hub, conn.principal!.userId) } : {}),
      },
      cmd.requestId,
    ),
  )
  if (added.some((c) => c.name === 'system.health')) hub.broadcastHealth(conn)
  if (cmd.lastEventId !== undefined) resume(hub, conn, cmd.lastEventId, cmd.requestId)
}

function unsubscribe(hub: CommandContext, conn: Connection, cmd: SubCmd): void {
  const channels = resolveChannels(hub, conn, cmd)
  if (!channels) return
  const removed = channels.filter((c) => conn.subs.delete(c.name)).map((c) => c.name)
  for (const name of removed) hub.leave(conn, name)
  conn.reply('unsubscribed', withRequest({ channels: [...conn.subs.keys()], removed }, cmd.requestId))
}

/** Replay the user's events after `lastId` on the connection's account channels, or ask for a resync. */
function resume(hub: CommandContext, conn: Connection, lastId: string, requestId?: string): void {
  const userId = conn.principal!.userId
  const result = hub.journal.after(userId, lastId)
  const latest = lastEventId(hub, userId)
  if (!result.ok) {
    hub.counters.resyncsRequired++
    conn.reply(
      'resync_required',
      withRequest(
        {
          reason: result.reason,
          message:
            result.reason === 'events_expired'
              ? 'Some events after last_event_id are no longer in the replay buffer; reload orders and positions over REST'
              : 'last_event_id is not from this server’s event stream (server data reset?); reload orders and positions over REST',
          last_event_id: lastId,
          latest_event_id: latest,
          ...(result.oldestAvailable ? { oldest_available_event_id: result.oldestAvailable } : {}),
        },
        requestId,
      ),
    )
    return
  }
  let replayed = 0
  for (const e of result.events) replayed += hub.deliver(e, conn, true)
  hub.counters.eventsReplayed += replayed
  conn.reply('resumed', withRequest({ from_event_id: lastId, last_event_id: latest, replayed }, requestId))
}
