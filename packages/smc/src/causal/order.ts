import type { CausalZone, CausalZoneEvent, ZoneKind } from './types'

// The one order of zones and zone events (by candle, then kind, id and state), shared by the batch
// and the stream so both list the same records in the same order.
const KIND_RANK: Record<ZoneKind, number> = { ob: 0, breaker: 1, fvg: 2 }
const STATE_RANK = { tested: 0, mitigated: 1, invalidated: 2 } as const

export const compareZones = (a: CausalZone, b: CausalZone): number =>
  a.confirmedAt - b.confirmedAt || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.id - b.id

export const compareZoneEvents = (a: CausalZoneEvent, b: CausalZoneEvent): number =>
  a.confirmedAt - b.confirmedAt || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.id - b.id || STATE_RANK[a.state] - STATE_RANK[b.state]
