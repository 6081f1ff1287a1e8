// Server frames: the seed envelope {type, data, timestamp, id} plus `seq` (per connection, +1 each
// frame) and, where it applies, `channel` and `replayed`. Fan-out serializes everything but `seq`
// once per event, into one Buffer; each connection only prefixes its own number (wire-frame.ts).

const q = (s: string): string => JSON.stringify(s)

/** A clock time (epoch ms) as the frames' timestamp string. */
export const iso = (ms: number): string => new Date(ms).toISOString()

/** Everything of a frame after `{"seq":N`, including the closing brace, UTF-8 encoded (shared by every recipient). */
export function frameTail(type: string, data: string, timestamp: string, id: string, channel?: string, replayed = false): Buffer {
  return Buffer.from(`,"type":${q(type)}${channel === undefined ? '' : `,"channel":${q(channel)}`},"data":${data},"timestamp":${q(timestamp)},"id":${q(id)}${replayed ? ',"replayed":true' : ''}}`)
}

/** Message ids of non-account frames: unique per hub, shared by every recipient of one event. */
export function messageIds(prefix: string): () => string {
  let n = 0
  return () => `${prefix}_${(++n).toString(36)}`
}
