// Test-only helper shared by every indicator's parity test.
import { expect } from 'vitest'

/** Numeric column: typed array or plain array; NaN (and null/undefined) mean "no value". */
export type NumericColumn = ArrayLike<number | null | undefined>

export interface CompareOptions {
  /**
   * Columns the reference stores as float32: both sides are passed through `Math.fround`
   * before comparing, because the CSV holds the shortest float32 round-trip text, not the double.
   */
  float32Columns?: readonly string[]
  /** Relative tolerance (default 1e-9), as Python's `math.isclose(rel_tol=...)`. */
  relTol?: number
  /** Absolute tolerance (default 0), for columns whose values legitimately sit near zero. */
  absTol?: number
  /**
   * Map from expected (CSV) column name to actual column name, for when the TypeScript
   * API uses camelCase names (e.g. `{ HighLow: 'highLow' }`). Unmapped names are looked up as-is.
   */
  columnMap?: Readonly<Record<string, string>>
}

export interface Mismatch {
  indicator: string
  column: string
  row: number
  expected: number
  actual: number
}

const toNum = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v)

function sameValue(a: number, b: number, relTol: number, absTol: number): boolean {
  const aNaN = Number.isNaN(a)
  const bNaN = Number.isNaN(b)
  if (aNaN || bNaN) return aNaN && bNaN
  // Also covers equal infinities, which the subtraction below would turn into NaN.
  if (a === b) return true
  return Math.abs(a - b) <= Math.max(relTol * Math.max(Math.abs(a), Math.abs(b)), absTol)
}

/**
 * Find the first mismatch (column by column in `expectedCols` order, then row by row),
 * or undefined. Row count differences are reported as a mismatch at the first missing row.
 */
export function findFirstMismatch(
  indicator: string,
  actualCols: Readonly<Record<string, NumericColumn>>,
  expectedCols: Readonly<Record<string, NumericColumn>>,
  opts: CompareOptions = {},
): Mismatch | { indicator: string; column: string; problem: string } | undefined {
  const relTol = opts.relTol ?? 1e-9
  const absTol = opts.absTol ?? 0
  const f32 = new Set(opts.float32Columns ?? [])
  for (const column of Object.keys(expectedCols)) {
    const actualName = opts.columnMap?.[column] ?? column
    const exp = expectedCols[column]!
    const act = actualCols[actualName]
    if (act === undefined) {
      return { indicator, column, problem: `missing actual column "${actualName}" (have: ${Object.keys(actualCols).join(', ')})` }
    }
    if (act.length !== exp.length) {
      return { indicator, column, problem: `length ${act.length} !== expected ${exp.length}` }
    }
    const isF32 = f32.has(column) || f32.has(actualName)
    for (let row = 0; row < exp.length; row++) {
      let e = toNum(exp[row])
      let a = toNum(act[row])
      if (isF32) {
        e = Math.fround(e)
        a = Math.fround(a)
      }
      if (!sameValue(a, e, relTol, absTol)) return { indicator, column, row, expected: e, actual: a }
    }
  }
  return undefined
}

/**
 * Assert that every expected column matches the actual one row by row (relative tolerance 1e-9,
 * NaN equals NaN, float32 columns compared through `Math.fround`). Fails on the FIRST mismatch,
 * naming indicator, column, row (0-based) and both values.
 *
 * @example
 * expectColumnsMatch('bos_choch', { BOS: r.bos, CHOCH: r.choch, Level: r.level, BrokenIndex: r.brokenIndex },
 *   readVector('bos_choch_result_data.csv'), { float32Columns: ['Level'] })
 */
export function expectColumnsMatch(
  indicator: string,
  actualCols: Readonly<Record<string, NumericColumn>>,
  expectedCols: Readonly<Record<string, NumericColumn>>,
  opts: CompareOptions = {},
): void {
  const m = findFirstMismatch(indicator, actualCols, expectedCols, opts)
  if (m === undefined) return
  const msg =
    'problem' in m
      ? `${m.indicator}: column ${m.column}: ${m.problem}`
      : `${m.indicator}: first mismatch in column ${m.column} at row ${m.row}: expected ${m.expected}, actual ${m.actual}`
  expect.fail(msg)
}
