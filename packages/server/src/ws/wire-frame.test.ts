import * as ws from 'ws'
import { describe, expect, it } from 'vitest'
import { frameTail } from './envelope'
import { wireFrame } from './wire-frame'

interface FrameReader {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void
  write(chunk: Buffer): void
}
// `ws`'s frame parser (exported at runtime, absent from its typings).
const { Receiver } = ws as unknown as { Receiver: new (opts: { isServer: boolean }) => FrameReader }

/** The text messages `ws`'s own client-side parser reads from `bytes` (a server frame is unmasked). */
function read(bytes: Buffer): string[] {
  const out: string[] = []
  const receiver = new Receiver({ isServer: false })
  receiver.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false)
    out.push(data.toString('utf8'))
  })
  receiver.write(bytes)
  return out
}

describe('wireFrame', () => {
  it('is one text frame of {"seq":N + the shared tail, for each of the three length forms', () => {
    for (const size of [10, 200, 70_000]) {
      const tail = frameTail('market_data_update', JSON.stringify({ pad: 'x'.repeat(size) }), '2026-12-07T06:00:00.000Z', 'm_1', 'market_data.BTCUSDT')
      for (const seq of [1, 9, 10, 12345, 2 ** 40]) {
        const [text] = read(wireFrame(seq, tail))
        expect(JSON.parse(text!)).toMatchObject({ seq, type: 'market_data_update', channel: 'market_data.BTCUSDT', data: { pad: 'x'.repeat(size) }, id: 'm_1' })
      }
    }
  })

  it('counts the length in bytes, not characters (UTF-8 data)', () => {
    const tail = frameTail('error', JSON.stringify({ message: 'prix → 1 000 €, 値段 '.repeat(8) }), '2026-12-07T06:00:00.000Z', 'm_2')
    expect(read(Buffer.concat([wireFrame(7, tail), wireFrame(8, tail)])).map((t) => JSON.parse(t).seq)).toEqual([7, 8])
  })
})
