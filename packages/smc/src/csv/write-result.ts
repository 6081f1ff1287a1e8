// Byte-exact pandas `DataFrame.to_csv(index=False)` output for indicator results. pandas writes
// float columns through numpy `astype(str)`, so float64 cells are Python repr and float32 cells
// are numpy's shortest float32 text (which switches to exponent notation much earlier).

/** Storage type of a reference output column; decides how its numbers are written. */
export type ColumnDtype = 'float64' | 'float32' | 'int32'

/** One output column: CSV header name, dtype and one value per row (NaN = empty cell). */
export interface ResultColumn {
  name: string
  dtype: ColumnDtype
  values: ArrayLike<number>
}

/** Indicator names as the reference library spells them. */
export type ReferenceIndicator =
  | 'swing_highs_lows'
  | 'fvg'
  | 'bos_choch'
  | 'ob'
  | 'liquidity'
  | 'previous_high_low'
  | 'sessions'
  | 'retracements'

/**
 * Output columns of each reference indicator, in the reference's order: [CSV header, dtype,
 * property of the TypeScript result object].
 */
export const REFERENCE_COLUMNS: Readonly<Record<ReferenceIndicator, readonly (readonly [string, ColumnDtype, string])[]>> = {
  swing_highs_lows: [
    ['HighLow', 'float64', 'highLow'],
    ['Level', 'float64', 'level'],
  ],
  fvg: [
    ['FVG', 'float64', 'fvg'],
    ['Top', 'float64', 'top'],
    ['Bottom', 'float64', 'bottom'],
    ['MitigatedIndex', 'float64', 'mitigatedIndex'],
  ],
  bos_choch: [
    ['BOS', 'float64', 'bos'],
    ['CHOCH', 'float64', 'choch'],
    ['Level', 'float32', 'level'],
    ['BrokenIndex', 'float64', 'brokenIndex'],
  ],
  ob: [
    ['OB', 'float64', 'ob'],
    ['Top', 'float32', 'top'],
    ['Bottom', 'float32', 'bottom'],
    ['OBVolume', 'float32', 'obVolume'],
    ['MitigatedIndex', 'float64', 'mitigatedIndex'],
    ['Percentage', 'float32', 'percentage'],
  ],
  liquidity: [
    ['Liquidity', 'float32', 'liquidity'],
    ['Level', 'float32', 'level'],
    ['End', 'float32', 'end'],
    ['Swept', 'float32', 'swept'],
  ],
  previous_high_low: [
    ['PreviousHigh', 'float32', 'previousHigh'],
    ['PreviousLow', 'float32', 'previousLow'],
    ['BrokenHigh', 'int32', 'brokenHigh'],
    ['BrokenLow', 'int32', 'brokenLow'],
  ],
  sessions: [
    ['Active', 'int32', 'active'],
    ['High', 'float32', 'high'],
    ['Low', 'float32', 'low'],
  ],
  retracements: [
    ['Direction', 'int32', 'direction'],
    ['CurrentRetracement%', 'float64', 'currentRetracement'],
    ['DeepestRetracement%', 'float64', 'deepestRetracement'],
  ],
}

/** Lay out digits `d` (no dot, no trailing zeros) with decimal exponent `e` (value = d[0].d[1..] × 10^e). */
function layout(sign: string, d: string, e: number, positional: boolean): string {
  if (positional) {
    if (e >= d.length - 1) return `${sign}${d}${'0'.repeat(e - d.length + 1)}.0`
    if (e >= 0) return `${sign}${d.slice(0, e + 1)}.${d.slice(e + 1)}`
    return `${sign}0.${'0'.repeat(-e - 1)}${d}`
  }
  const a = e < 0 ? -e : e
  return `${sign}${d[0]}${d.length > 1 ? `.${d.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`
}

/** Split `x.toExponential(...)` output into significant digits (trailing zeros trimmed) and exponent. */
function splitExp(s: string): [string, number] {
  const k = s.indexOf('e')
  let d = s.slice(0, k).replace('.', '')
  let end = d.length
  while (end > 1 && d.charCodeAt(end - 1) === 48) end--
  d = d.slice(0, end)
  return [d, Number(s.slice(k + 1))]
}

function special(x: number): string | undefined {
  if (x !== x) return ''
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  return undefined
}

/**
 * A float64 as Python `repr` / numpy float64 `str`: shortest round-trip digits, positional for
 * 1e-4 ≤ |x| < 1e16 (always with a decimal point), else `d.ddde±XX`. NaN gives '' (pandas' na_rep).
 *
 * @example
 * formatFloat64(1) // '1.0'
 * formatFloat64(1e-5) // '1e-05'
 * formatFloat64(12345678901234567) // '1.2345678901234568e+16'
 */
export function formatFloat64(x: number): string {
  const sp = special(x)
  if (sp !== undefined) return sp
  const a = x < 0 ? -x : x
  if (a >= 1e-4 && a < 1e16) {
    // JS already prints this range positionally with the same shortest digits; Python adds ".0".
    const s = String(x)
    if (s.indexOf('e') < 0) return s.indexOf('.') < 0 ? `${s}.0` : s
  }
  const [d, e] = splitExp(a.toExponential())
  return layout(x < 0 ? '-' : '', d, e, e >= -4 && e < 16)
}

/** True when the decimal text `s` reads back as the float32 `x`. */
const roundTrips32 = (s: string, x: number) => Math.fround(Number(s)) === x

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** A normal power of two: its round-trip interval is twice as wide above as below. */
function lopsided32(a: number): boolean {
  f32[0] = a
  const bits = u32[0]!
  return (bits & 0x7fffff) === 0 && bits >>> 23 > 1
}

/**
 * The float32 value of `x` as numpy float32 `str` (what pandas writes for a float32 column):
 * the shortest decimal that reads back as the same float32 (ties between equally short ones go
 * to the nearest), positional for 1e-4 ≤ |v| < 1e6, otherwise `d.ddde±XX`. NaN gives ''.
 *
 * @example
 * formatFloat32(0.9734555523) // '0.97345555'
 * formatFloat32(1e6) // '1e+06'
 * formatFloat32(24243) // '24243.0'
 */
export function formatFloat32(x: number): string {
  const v = Math.fround(x)
  const sp = special(v)
  if (sp !== undefined) return sp
  const a = v < 0 ? -v : v
  let text: string | undefined
  if (!lopsided32(a)) {
    // The correctly rounded p-digit decimal is the best p-digit candidate, and rounding to more
    // digits never moves farther away, so "round-trips" is monotone in p: binary search 1..9.
    let lo = 1
    let hi = 9
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (roundTrips32(a.toExponential(mid - 1), a)) hi = mid
      else lo = mid + 1
    }
    text = a.toExponential(lo - 1)
  } else {
    // Around a power of two the nearest p-digit decimal may miss on the narrow side while its
    // neighbour on the wide side reads back (Dragon4 finds it), so try both neighbours too.
    for (let p = 1; p <= 9 && text === undefined; p++) {
      const near = a.toExponential(p - 1)
      if (roundTrips32(near, a)) {
        text = near
        break
      }
      const [d, e] = splitExp(near)
      const base = Number(d.padEnd(p, '0'))
      for (const cand of [base + 1, base - 1]) {
        const s = `${cand}e${e - p + 1}`
        if (cand > 0 && roundTrips32(s, a)) {
          text = Number(s).toExponential()
          break
        }
      }
    }
  }
  text ??= a.toExponential(8)
  const [d0, e0] = splitExp(text)
  let d = d0
  let e = e0
  // toExponential breaks an exact tie upwards; Dragon4 (numpy) breaks it to the even digit.
  const p = text.indexOf('e') - (text.indexOf('.') < 0 ? 0 : 1)
  const odd = (text.charCodeAt(text.indexOf('e') - 1) - 48) & 1
  if (odd && a.toExponential(p).charAt(p + 1) === '5') {
    const exact = a.toExponential(100)
    // Digits after the p-th significant one (index p + 1 in "d.ddd…"): exactly 5000…?
    if (/^50*$/.test(exact.slice(p + 1, exact.indexOf('e')))) {
      const base = Number(text.slice(0, text.indexOf('e')).replace('.', ''))
      const s = `${base - 1}e${e0 - p + 1}`
      if (roundTrips32(s, a)) [d, e] = splitExp(Number(s).toExponential())
    }
  }
  return layout(v < 0 ? '-' : '', d, e, a >= 1e-4 && a < 1e6)
}

function formatInt(x: number): string {
  return x !== x ? '' : String(Math.trunc(x))
}

/**
 * Write columns as pandas `to_csv(index=False)` does: header line, one line per row, `\n` line
 * ends (including after the last row), empty cell for NaN, numbers formatted per dtype.
 *
 * @example
 * writeResultCsv([{ name: 'FVG', dtype: 'float64', values: Float64Array.of(NaN, 1) }]) // 'FVG\n\n1.0\n'
 */
export function writeResultCsv(columns: readonly ResultColumn[]): string {
  const n = columns.length === 0 ? 0 : columns[0]!.values.length
  for (const c of columns) {
    if (c.values.length !== n) throw new RangeError(`column ${c.name} has ${c.values.length} rows, expected ${n}`)
  }
  const fmts = columns.map((c) => (c.dtype === 'float64' ? formatFloat64 : c.dtype === 'float32' ? formatFloat32 : formatInt))
  const parts: string[] = [columns.map((c) => c.name).join(',')]
  const cells = new Array<string>(columns.length)
  // Level columns repeat the same value for long stretches: reuse the previous row's text.
  const lastValue = new Float64Array(columns.length).fill(Number.NaN)
  const lastText = columns.map(() => '')
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < columns.length; c++) {
      const v = columns[c]!.values[r]!
      if (Object.is(v, lastValue[c])) cells[c] = lastText[c]! // also NaN (''), and keeps -0 apart
      else {
        cells[c] = lastText[c] = fmts[c]!(v)
        lastValue[c] = v
      }
    }
    parts.push(cells.join(','))
  }
  return `${parts.join('\n')}\n`
}

/**
 * The reference output CSV of an indicator result (as returned by this package's functions).
 *
 * @example
 * process.stdout.write(writeIndicatorCsv('fvg', fvg(candles)))
 */
export function writeIndicatorCsv(indicator: ReferenceIndicator, result: object): string {
  const spec = REFERENCE_COLUMNS[indicator]
  if (!spec) throw new RangeError(`unknown indicator "${indicator}"`)
  const rec = result as Record<string, ArrayLike<number> | undefined>
  return writeResultCsv(
    spec.map(([name, dtype, key]) => {
      const values = rec[key]
      if (values === undefined) throw new RangeError(`${indicator} result has no "${key}" column`)
      return { name, dtype, values }
    }),
  )
}
