/** Float64 columns named `names`, `n` rows of `fill` each (an indicator's output, say). */
export function f64Columns<K extends string>(names: readonly K[], n: number, fill = 0): Record<K, Float64Array> {
  const cols = {} as Record<K, Float64Array>
  for (const k of names) cols[k] = fill === 0 ? new Float64Array(n) : new Float64Array(n).fill(fill)
  return cols
}
