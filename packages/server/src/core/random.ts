/** A seeded pseudo-random source: same seed, same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (mean 0, sd 1). */
  normal(): number
}

/** Hash a string seed into 32 bits (FNV-1a), so seeds can be names like "BTCUSDT:42". */
export function hashSeed(seed: string | number): number {
  const s = String(seed)
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** sfc32: small, fast, and good enough statistically for market simulation. */
export function createRandom(seed: string | number): Random {
  let a = hashSeed(`${seed}:a`)
  let b = hashSeed(`${seed}:b`)
  let c = hashSeed(`${seed}:c`)
  let d = 1
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  let spare: number | undefined
  return {
    next,
    normal() {
      if (spare !== undefined) {
        const s = spare
        spare = undefined
        return s
      }
      // Box–Muller; 1 - u keeps log() away from 0.
      const u = 1 - next()
      const v = next()
      const r = Math.sqrt(-2 * Math.log(u))
      spare = r * Math.sin(2 * Math.PI * v)
      return r * Math.cos(2 * Math.PI * v)
    },
  }
}
