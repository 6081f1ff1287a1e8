// Everything the seed-example suite changes in seed 000's snippets, in one place:
// - the base URL and the tokens (`substitute`), which every reader of the seed replaces too;
// - PATCHES: each a find → replace on the seed's own text, for a bug of the snippet itself — one
//   that breaks it against any server that behaves as the seed documents, not a gap of ours.
// A patch whose `find` no longer occurs exactly once fails the run, so a changed seed is noticed.

export type SnippetId =
  | 'trading-bot'
  | 'data-analyzer'
  | 'ws-python'
  | 'ws-javascript'
  | 'rate-limiter'
  | 'error-handling'
  | 'curl-generate-token'
  | 'curl-refresh-token'
  | 'auth-python'
  | 'auth-javascript'
  | 'auth-curl'

export interface Patch {
  snippet: SnippetId
  find: string
  replace: string
  /** Why this is the snippet's bug and not the server's. */
  why: string
}

export const PATCHES: readonly Patch[] = [
  {
    snippet: 'trading-bot',
    why:
      "on_open reads self.config['symbol'], but the bot's config (the seed's 'Configuration example') " +
      "has only 'symbols', the list start_trading_loop iterates. The KeyError is raised inside on_open, " +
      'websocket-client reports it to on_error, and no subscription is ever sent: the bot never receives ' +
      'market data from any server. Subscribe each configured symbol instead.',
    find: [
      '            ws.send(json.dumps({',
      '                "type": "subscribe",',
      '                "channel": "market_data",',
      "                \"symbol\": self.config['symbol']",
      '            }))',
      '',
    ].join('\n'),
    replace: [
      "            for symbol in self.config['symbols']:",
      '                ws.send(json.dumps({',
      '                    "type": "subscribe",',
      '                    "channel": "market_data",',
      '                    "symbol": symbol',
      '                }))',
      '',
    ].join('\n'),
  },
  {
    snippet: 'ws-python',
    why:
      'subscribe() adds a dict to a Python set: dicts are unhashable, so it raises TypeError before the ' +
      'subscribe message is sent, whatever the server. Record the subscription as a hashable tuple of its items.',
    find: '        self.subscriptions.add(subscription)\n',
    replace: '        self.subscriptions.add(tuple(sorted(subscription.items())))\n',
  },
  {
    snippet: 'ws-python',
    why:
      'connect() starts run_forever on a thread and returns at once; the usage example then calls ' +
      "subscribe(), whose ws.send() runs before the handshake and fails with WebSocketConnectionClosedException " +
      '(a race with any server). Wait, bounded, for the socket to be connected before returning.',
    find: '        wst.daemon = True\n        wst.start()\n',
    replace: [
      '        wst.daemon = True',
      '        wst.start()',
      '        for _ in range(200):',
      '            if self.ws.sock and self.ws.sock.connected:',
      '                break',
      '            threading.Event().wait(0.05)',
      '',
    ].join('\n'),
  },
  {
    snippet: 'ws-javascript',
    why:
      'The usage example calls subscribe() right after connect(), while the socket is still CONNECTING: ' +
      'WebSocket.send() then throws InvalidStateError (in browsers and in Node alike), before any server ' +
      "is involved. Subscribe once the socket's open event has fired.",
    find: [
      '// Subscribe to BTCUSDT market data',
      "wsClient.subscribe('market_data', 'BTCUSDT');",
      '',
      '// Subscribe to all trade updates',
      "wsClient.subscribe('trades');",
      '',
    ].join('\n'),
    replace: [
      "wsClient.ws.addEventListener('open', () => {",
      '// Subscribe to BTCUSDT market data',
      "wsClient.subscribe('market_data', 'BTCUSDT');",
      '',
      '// Subscribe to all trade updates',
      "wsClient.subscribe('trades');",
      '});',
      '',
    ].join('\n'),
  },
  {
    snippet: 'rate-limiter',
    why: 'make_rate_limited_request() calls requests.get, but the snippet never imports requests (NameError on the first call).',
    find: 'import time\nfrom collections import deque\n',
    replace: 'import time\nimport requests\nfrom collections import deque\n',
  },
  {
    snippet: 'rate-limiter',
    why:
      'After waiting, make_rate_limited_request() sends without taking a slot in the window (is_allowed() ' +
      'returned False and is not asked again), so the window forgets that request and lets the next ones ' +
      'through at once: more than max_requests per time_window reach the server, which any server enforcing ' +
      'the same limit refuses with 429. Wait until is_allowed() grants a slot.',
    find: [
      '    if not rate_limiter.is_allowed():',
      '        wait_time = rate_limiter.wait_time()',
      '        time.sleep(wait_time)',
      '',
    ].join('\n'),
    replace: [
      '    while not rate_limiter.is_allowed():',
      '        wait_time = rate_limiter.wait_time()',
      '        time.sleep(wait_time)',
      '',
    ].join('\n'),
  },
  {
    snippet: 'curl-generate-token',
    why:
      'The seed says all API requests must include credentials ("Authorization: Bearer YOUR_API_TOKEN", ' +
      'API Key Authentication), yet this curl sends none: a token endpoint that answered it would mint ' +
      "tokens for anyone. Send the seed's own header; the token is an admin token, which the server prints " +
      'at start.',
    find: 'curl -X POST http://localhost:8000/api/auth/generate-token \\\n  -H "Content-Type: application/json" \\\n',
    replace:
      'curl -X POST http://localhost:8000/api/auth/generate-token \\\n' +
      '  -H "Authorization: Bearer YOUR_API_TOKEN" \\\n' +
      '  -H "Content-Type: application/json" \\\n',
  },
]

const occurrences = (text: string, part: string): number => text.split(part).length - 1

/** `code` with every patch of `id` applied; a patch that does not match exactly once is an error. */
export function applyPatches(id: SnippetId, code: string): string {
  let out = code
  for (const p of PATCHES.filter((x) => x.snippet === id)) {
    const n = occurrences(out, p.find)
    if (n !== 1) throw new Error(`patch for ${id} matches ${n} times (expected once): ${JSON.stringify(p.find.slice(0, 80))}`)
    out = out.replace(p.find, () => p.replace)
  }
  return out
}

export interface Target {
  /** Origin of the server under test, e.g. `http://127.0.0.1:41234`. */
  origin: string
  /** Placeholder → value, e.g. `{ YOUR_API_TOKEN: 'eyJ…' }`; each placeholder must occur in the snippet. */
  tokens?: Record<string, string>
}

/**
 * The only other change: the seed's base URLs (development and production, HTTP and WebSocket) become
 * the server under test, and its token placeholders the tokens given. Paths are kept as written.
 */
export function substitute(code: string, target: Target): string {
  const origin = new URL(target.origin)
  const http = `http://${origin.host}`
  const ws = `ws://${origin.host}`
  let out = code
    .replaceAll('https://api.smc-trading.com', http)
    .replaceAll('http://localhost:8000', http)
    .replaceAll('wss://ws.smc-trading.com', ws)
    .replaceAll('ws://localhost:8000', ws)
  for (const [placeholder, value] of Object.entries(target.tokens ?? {})) {
    if (!out.includes(placeholder)) throw new Error(`the snippet has no ${placeholder} to substitute`)
    out = out.replaceAll(placeholder, value)
  }
  const left = /localhost:8000|smc-trading\.com|YOUR_[A-Z_]+/.exec(out)
  if (left) throw new Error(`the snippet still names ${left[0]} after substitution`)
  return out
}
