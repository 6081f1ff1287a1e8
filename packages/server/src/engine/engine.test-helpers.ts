// Test-only: an EngineService over a whole test server (SQLite, manual clock) on the scanner's
// planted market (BRKUSDT breaks out through its resistance on 5× volume on the last closed candle).
import type { SeriesMarket } from '../market'
import { N, plantedMarket, STEP, T0 } from '../scanner/scan/test-markets'
import { createTestContext, type TestContext } from '../testing/test-context'
import { EngineService, type EngineServiceOptions } from './engine-service'
import type { EngineEventKind } from './types'

/** The planted market's time: 5 minutes into candle N (forming). */
export const PLANTED_NOW = T0 + N * STEP + 5 * 60_000

export interface EngineContext {
  ctx: TestContext
  core: SeriesMarket
  engine: EngineService
  events: { kind: EngineEventKind; data: Record<string, unknown>; owner: string }[]
  /** Owners whose preset resolution fails (to reach ERROR). */
  failing: Set<string>
  /** A new EngineService on the same services (a restart of the engine layer). */
  reopen(o?: Partial<EngineServiceOptions>): EngineService
  close(): Promise<void>
}

export async function engineContext(opts: { env?: Record<string, string>; engine?: Partial<EngineServiceOptions> } = {}): Promise<EngineContext> {
  let core!: SeriesMarket
  const ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ...(opts.env ?? {}) }, {
    epoch: PLANTED_NOW,
    market: () => {
      const p = plantedMarket()
      core = p.core
      return p.market
    },
  })
  const s = ctx.services
  const events: EngineContext['events'] = []
  const failing = new Set<string>()
  const presets = {
    resolve(owner: string, name: string) {
      if (failing.has(owner)) throw new Error(`preset store unavailable for ${owner}`)
      return s.presets.resolve(owner, name)
    },
  }
  const make = (o: Partial<EngineServiceOptions> = {}): EngineService =>
    new EngineService({
      db: s.db,
      clock: s.clock,
      market: s.market,
      execution: s.execution,
      risk: s.risk,
      presets,
      isSymbolEnabled: (x) => s.settings.isSymbolEnabled(x),
      initialBalance: 10_000,
      takerFeeBps: s.env.PAPER_TAKER_FEE_BPS,
      onEvent: (kind, data, owner) => events.push({ kind, data, owner }),
      ...opts.engine,
      ...o,
    })
  const handle: EngineContext = {
    ctx,
    core,
    engine: make(),
    events,
    failing,
    reopen(o) {
      handle.engine.close()
      handle.engine = make(o)
      return handle.engine
    },
    async close() {
      handle.engine.close()
      await ctx.close()
    },
  }
  return handle
}
