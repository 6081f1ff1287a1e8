import { hashSeed, type Random } from '../core'

/**
 * The exact generator of core's `createRandom` (sfc32 seeded through `hashSeed`, Box–Muller normals
 * with the same spare handling), draw for draw, but with its state in typed arrays. Core's closure
 * keeps uint32 state in variables, which V8 boxes as heap numbers on every draw; back-filling 30 days
 * of 1m candles takes millions of draws, and this version is several times faster for it.
 *
 * @example
 * const r = createRandomStream('BTCUSDT:42')
 * r.next()   // same value as createRandom('BTCUSDT:42').next()
 * r.normal()
 */
export function createRandomStream(seed: string | number): Random {
  const s = new Uint32Array(4)
  s[0] = hashSeed(`${seed}:a`)
  s[1] = hashSeed(`${seed}:b`)
  s[2] = hashSeed(`${seed}:c`)
  s[3] = 1
  // [spare value, 1 when a spare is held]
  const spare = new Float64Array(2)
  const next = (): number => {
    const a = s[0]!
    const b = s[1]!
    const c = s[2]!
    const d = (s[3]! + 1) | 0
    const t = (((a + b) | 0) + d) | 0
    s[0] = b ^ (b >>> 9)
    s[1] = (c + (c << 3)) | 0
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0
    s[3] = d
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return {
    next,
    normal(): number {
      if (spare[1] === 1) {
        spare[1] = 0
        return spare[0]!
      }
      const u = 1 - next()
      const v = next()
      const r = Math.sqrt(-2 * Math.log(u))
      spare[0] = r * Math.sin(2 * Math.PI * v)
      spare[1] = 1
      return r * Math.cos(2 * Math.PI * v)
    },
  }
}
