// Messages between `pnpm bench ws-saturation` and its child processes (fork IPC).

/** Orchestrator → a server process (hub or bare). */
export type ToServer = { type: 'start'; seconds: number; rate: number } | { type: 'stop' }
/** Server process → orchestrator. */
export type FromServer =
  | { type: 'ready'; wsUrl: string; tokens: string[]; symbols: string[] }
  | { type: 'done'; ticks: number; cpuMs: number; wallMs: number; rssPeak: number }

/** Orchestrator → a client process. */
export type ToClients =
  | { type: 'connect'; side: Side; url: string; tokens: string[]; count: number; symbols: string[] }
  | { type: 'reset' }
  | { type: 'collect'; side: Side; expectedPerClient: number; drainMs: number }
  | { type: 'stop' }
/** Client process → orchestrator. */
export type FromClients =
  | { type: 'connected'; side: Side; ms: number }
  | { type: 'reset' }
  | { type: 'collected'; received: number; lost: number; seqGaps: number; closed: number; hist: number[]; over: number; maxUs: number; cpuMs: number; wallMs: number }

export type Side = 'hub' | 'bare'
