// Test-only helpers: read the reference vectors from ../shared (never copied into the project).
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readCandlesCsv } from '../csv'
import type { Candles } from '../types'

const here = dirname(fileURLToPath(import.meta.url))
/** Folder of the reference vectors: `<repo>/../shared/smc-vectors/EURUSD`. */
export const VECTORS_DIR = resolve(here, '../../../../../shared/smc-vectors/EURUSD')

let cached: Candles | undefined
/** The 24,423 EURUSD 15m candles the reference outputs were computed from. */
export function eurusdCandles(): Candles {
  cached ??= readCandlesCsv(readFileSync(resolve(VECTORS_DIR, 'EURUSD_15M.csv'), 'utf8'))
  return cached
}

/** A reference result file as columns of numbers; empty cells are NaN. */
export function readVector(file: string): Record<string, Float64Array> {
  const lines = readFileSync(resolve(VECTORS_DIR, file), 'utf8').split(/\r?\n/).filter((l) => l !== '')
  const header = lines[0]!.split(',')
  const cols: Record<string, Float64Array> = {}
  for (const h of header) cols[h] = new Float64Array(lines.length - 1)
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',')
    for (let c = 0; c < header.length; c++) {
      const cell = cells[c] ?? ''
      cols[header[c]!]![r - 1] = cell === '' ? Number.NaN : Number(cell)
    }
  }
  return cols
}

/** Raw text cells of a reference result file (for byte-exact CSV formatting checks). */
export function readVectorText(file: string): string {
  return readFileSync(resolve(VECTORS_DIR, file), 'utf8')
}
