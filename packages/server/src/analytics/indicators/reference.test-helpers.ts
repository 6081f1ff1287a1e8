// Straightforward, deliberately naive reference implementations used by the indicator tests: plain
// arrays, every window recomputed from scratch, spreadsheet-style formulas (written differently from
// batch.ts on purpose, so a shared mistake is unlikely). NaN where history is insufficient.

export function refSma(x: readonly number[], p: number): number[] {
  return x.map((_, i) => {
    if (i < p - 1) return NaN
    let s = 0
    for (let j = i - p + 1; j <= i; j++) s += x[j]!
    return s / p
  })
}

/** Spreadsheet EMA: first cell = AVERAGE of the first p, then close·k + previous·(1 − k). */
export function refEma(x: readonly number[], p: number): number[] {
  const k = 2 / (p + 1)
  const out: number[] = x.map(() => NaN)
  if (x.length < p) return out
  out[p - 1] = x.slice(0, p).reduce((a, b) => a + b, 0) / p
  for (let i = p; i < x.length; i++) out[i] = x[i]! * k + out[i - 1]! * (1 - k)
  return out
}

/** Wilder RSI, spreadsheet style: Gain/Loss columns, first averages = mean, then (prev·13 + cur)/14. */
export function refRsi(c: readonly number[], p: number): number[] {
  const out: number[] = c.map(() => NaN)
  const gains: number[] = [0]
  const losses: number[] = [0]
  for (let i = 1; i < c.length; i++) {
    const change = c[i]! - c[i - 1]!
    gains.push(Math.max(change, 0))
    losses.push(Math.max(-change, 0))
  }
  let avgGain = NaN
  let avgLoss = NaN
  for (let i = p; i < c.length; i++) {
    if (i === p) {
      avgGain = gains.slice(1, p + 1).reduce((a, b) => a + b, 0) / p
      avgLoss = losses.slice(1, p + 1).reduce((a, b) => a + b, 0) / p
    } else {
      avgGain = (avgGain * (p - 1) + gains[i]!) / p
      avgLoss = (avgLoss * (p - 1) + losses[i]!) / p
    }
    out[i] = avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss)
  }
  return out
}

/** Population standard deviation of each window, two passes from scratch. */
export function refStdevP(x: readonly number[], p: number): number[] {
  return x.map((_, i) => {
    if (i < p - 1) return NaN
    const w = x.slice(i - p + 1, i + 1)
    const mean = w.reduce((a, b) => a + b, 0) / p
    return Math.sqrt(w.reduce((a, v) => a + (v - mean) ** 2, 0) / p)
  })
}

export function refTrueRange(h: readonly number[], l: readonly number[], c: readonly number[]): number[] {
  return h.map((_, i) =>
    i === 0 ? h[0]! - l[0]! : Math.max(h[i]! - l[i]!, Math.abs(h[i]! - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!)),
  )
}

export function refAtr(h: readonly number[], l: readonly number[], c: readonly number[], p: number): number[] {
  const tr = refTrueRange(h, l, c)
  const out: number[] = tr.map(() => NaN)
  for (let i = p - 1; i < tr.length; i++) {
    out[i] = i === p - 1 ? tr.slice(0, p).reduce((a, b) => a + b, 0) / p : (out[i - 1]! * (p - 1) + tr[i]!) / p
  }
  return out
}

export function refMacd(c: readonly number[], fast: number, slow: number, signal: number) {
  const f = refEma(c, fast)
  const s = refEma(c, slow)
  const line = c.map((_, i) => (i < slow - 1 ? NaN : f[i]! - s[i]!))
  const sigTail = refEma(line.slice(slow - 1), signal)
  const sig = [...line.slice(0, slow - 1).map(() => NaN), ...sigTail]
  return { macd: line, signal: sig, histogram: line.map((m, i) => m - sig[i]!) }
}

/** |a − b| ≤ tol·max(1, |b|), NaN matching NaN. */
export function closeTo(a: number, b: number, tol = 1e-9): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a)
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))
}

/** Index of the first mismatch (or -1), for readable failures. */
export function firstMismatch(got: ArrayLike<number>, want: readonly number[], tol = 1e-9): number {
  if (got.length !== want.length) return Math.min(got.length, want.length)
  for (let i = 0; i < want.length; i++) if (!closeTo(got[i]!, want[i]!, tol)) return i
  return -1
}

/** Deterministic PRNG (mulberry32) for seeded random walks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Seeded OHLCV random walk (multiplicative steps), all positive. */
export function randomWalkCandles(n: number, seed: number, start = 100) {
  const rnd = mulberry32(seed)
  const time = new Float64Array(n)
  const open = new Float64Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  const close = new Float64Array(n)
  const volume = new Float64Array(n)
  let price = start
  for (let i = 0; i < n; i++) {
    const o = price
    const c = o * (1 + (rnd() - 0.5) * 0.02)
    time[i] = 1_700_000_000_000 + i * 60_000
    open[i] = o
    close[i] = c
    high[i] = Math.max(o, c) * (1 + rnd() * 0.005)
    low[i] = Math.min(o, c) * (1 - rnd() * 0.005)
    volume[i] = 10 + rnd() * 1000
    price = c
  }
  return { time, open, high, low, close, volume }
}
