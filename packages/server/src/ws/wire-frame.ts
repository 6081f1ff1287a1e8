// The bytes of one server frame on the socket. A fan-out serialises an event once (its frame tail,
// a Buffer shared by every recipient); each connection then only needs its own `seq` in front.
// Building the whole WebSocket frame here — header, `{"seq":N` and the shared tail in one Buffer —
// makes a delivery one small copy and one socket write. Through `ws.send` it was a string
// concatenation, its UTF-8 encoding, a header Buffer and two writes per recipient (the hub's CPU
// per delivery was 1.4× bare `ws` broadcasting one Buffer; see docs/streaming.md, Saturation).

const SEQ = Buffer.from('{"seq":')
/** FIN bit + opcode 1 (text): every server frame is one unfragmented text message. */
const FIN_TEXT = 0x81

const digitCount = (n: number): number => {
  let d = 1
  while (n >= 10) {
    n = Math.floor(n / 10)
    d++
  }
  return d
}

/**
 * The WebSocket frame (RFC 6455 §5.2: unmasked, as a server sends) whose text is `{"seq":<seq>`
 * followed by `tail` (UTF-8, see `frameTail`).
 */
export function wireFrame(seq: number, tail: Buffer): Buffer {
  const digits = digitCount(seq)
  const length = SEQ.length + digits + tail.length
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10
  // Small frames come from Node's shared allocation pool: no allocation of its own per delivery.
  const out = Buffer.allocUnsafe(header + length)
  out[0] = FIN_TEXT
  if (header === 2) out[1] = length
  else if (header === 4) {
    out[1] = 126
    out.writeUInt16BE(length, 2)
  } else {
    out[1] = 127
    // Frames are far below 2^32 bytes (the hub's messages are bounded); the high word is 0.
    out.writeUInt32BE(0, 2)
    out.writeUInt32BE(length, 6)
  }
  out.set(SEQ, header)
  let at = header + SEQ.length + digits
  for (let n = seq; at > header + SEQ.length; n = Math.floor(n / 10)) out[--at] = 48 + (n % 10)
  out.set(tail, header + SEQ.length + digits)
  return out
}
