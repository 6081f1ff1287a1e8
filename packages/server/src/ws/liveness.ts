// Keeping sockets honest: the heartbeat drops dead peers and expired tokens; shutdown closes sockets
// and waits for them.
import type { Connection } from './connection'
import { iso } from './envelope'
import type { HubCounters } from './stats'

/** Ping every peer; drop those that did not answer the last ping and those whose token expired. */
export function heartbeat(connections: Iterable<Connection>, now: number, counters: HubCounters, closed: (c: Connection) => void): void {
  for (const c of connections) {
    if (c.closing) continue
    if (!c.alive) {
      counters.deadPeerDisconnects++
      c.ws.terminate()
      closed(c)
      continue
    }
    if (c.principal && now >= c.principal.expiresAt) {
      c.error('TOKEN_EXPIRED', 'The access token has expired; reconnect with a fresh token (or send authenticate with one before expiry)', {
        expired_at: iso(c.principal.expiresAt),
      })
      c.close(1008, 'token expired')
      continue
    }
    c.alive = false
    c.ws.ping()
  }
}

/** Close the connections with `code` and `reason`; resolves once every socket has closed. */
export async function closeAll(targets: readonly Connection[], code: number, reason: string): Promise<void> {
  await Promise.all(
    targets.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.ws.readyState === c.ws.CLOSED) return done()
          c.ws.once('close', () => done())
          c.close(code, reason)
        }),
    ),
  )
}
