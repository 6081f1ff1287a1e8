import { z } from 'zod'
import { DomainError, type ErrorCode } from '../../core'
import { INTERVALS } from '../../market'

/**
 * A scanner preset (seed 003's PresetConfig, snake_case, every field bounded):
 * - `scanner`: which symbols pass (volume surge, volatility band, trend, proximity to a level), on
 *   which candles, and how candidates are scored;
 * - `levels`: how support/resistance levels are built from SMC swing highs/lows;
 * - `risk`: how a position taken on a candidate would be sized (used by the strategy runner).
 * Percent fields (`*_pct`) are in percent (0.5 = 0.5 %); `risk_per_trade` is a fraction of equity
 * (0.01 = 1 %), as in the seed.
 */
const int = (min: number, max: number) => z.number().int().min(min).max(max)
const num = (min: number, max: number) => z.number().min(min).max(max)

export const PRESET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
export const PresetName = z
  .string()
  .regex(PRESET_NAME_PATTERN, 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit')

export const ScoreWeightsSchema = z.strictObject({
  /** Weight of the volume surge term. */
  volume: num(0, 10),
  /** Weight of the level term: breakout strength past a level, or proximity to one. */
  breakout: num(0, 10),
  /** Weight of the trend-agreement term (EMA and SMC structure). */
  trend: num(0, 10),
})

export const ScannerFiltersSchema = z.strictObject({
  /** Candle interval the scanner reads (closed candles only). */
  interval: z.enum(INTERVALS),
  /** Closed candles analysed per symbol. */
  lookback: int(30, 1000),
  /** Candles averaged for the volume ratio (the ones before the last closed candle). */
  volume_lookback: int(2, 200),
  /** Least volume ratio: last closed candle's volume ÷ the average of the previous `volume_lookback`. */
  min_volume_ratio: num(0, 100),
  /** ATR period (Wilder). */
  atr_period: int(2, 100),
  /** Volatility band: ATR as a percent of the last close. */
  min_atr_pct: num(0, 100),
  max_atr_pct: num(0, 100),
  /** Required trend: `any` accepts every symbol. */
  trend: z.enum(['any', 'up', 'down']),
  /** What decides the trend: EMA fast vs slow, the SMC structure (last broken BOS/CHOCH), or both agreeing. */
  trend_source: z.enum(['ema', 'smc', 'both']),
  ema_fast: int(2, 200),
  ema_slow: int(3, 400),
  /** Largest distance (percent of price) from the last close to a level; a breakout on the last candle always passes. */
  max_level_distance_pct: num(0, 100),
  /** Longest candidate list a scan returns. */
  max_candidates: int(1, 100),
  score_weights: ScoreWeightsSchema,
})

export const LevelsSchema = z.strictObject({
  /** Candles on each side of a swing high/low (SMC engine `swingLength`). */
  swing_length: int(1, 50),
  /** Swings within this percent of a cluster's mean price join that cluster (one level). */
  cluster_pct: z.number().gt(0).max(10),
  /** Least swings in a cluster for it to be a level. */
  min_touches: int(1, 20),
  /** Most levels kept per symbol (most touches first). */
  max_levels: int(1, 50),
})

export const RiskSchema = z.strictObject({
  /** Fraction of equity risked per trade, in (0, 0.1]. */
  risk_per_trade: z.number().gt(0).max(0.1),
  /** Stop distance in ATRs from the entry. */
  stop_atr_multiple: z.number().gt(0).max(20),
  /** Take-profit distance in multiples of the stop distance (R). */
  take_profit_r: z.number().gt(0).max(20),
  /** Most positions open at once. */
  max_positions: int(1, 50),
})

const PresetBody = z
  .strictObject({
    description: z.string().max(500),
    /** Free label, as in the seed (`momentum`, `scalping`, `breakout`, …). */
    strategy_type: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be 1-32 lowercase letters, digits or "_"'),
    scanner: ScannerFiltersSchema,
    levels: LevelsSchema,
    risk: RiskSchema,
  })
  .superRefine((p, ctx) => {
    const s = p.scanner
    if (s.min_atr_pct > s.max_atr_pct)
      ctx.addIssue({ code: 'custom', path: ['scanner', 'max_atr_pct'], message: 'must be at least scanner.min_atr_pct' })
    if (s.ema_fast >= s.ema_slow)
      ctx.addIssue({ code: 'custom', path: ['scanner', 'ema_slow'], message: 'must be greater than scanner.ema_fast' })
    const w = s.score_weights
    if (w.volume + w.breakout + w.trend <= 0)
      ctx.addIssue({ code: 'custom', path: ['scanner', 'score_weights'], message: 'at least one weight must be positive' })
    const need = minimumLookback(p)
    if (s.lookback < need)
      ctx.addIssue({
        code: 'custom',
        path: ['scanner', 'lookback'],
        message: `must be at least ${need} (the EMA, ATR, volume average and swings need that much history)`,
      })
  })

/** The stored and served preset body (everything but the name). */
export type PresetConfig = z.infer<typeof PresetBody>
/** A validated preset. */
export type Preset = { name: string } & PresetConfig
export type ScannerFilters = PresetConfig['scanner']
export type LevelSettings = PresetConfig['levels']
export type RiskSettings = PresetConfig['risk']

/** Least closed candles a preset's computations need: the slow EMA, ATR, volume average and a swing window. */
export function minimumLookback(p: Pick<PresetConfig, 'scanner' | 'levels'>): number {
  const s = p.scanner
  return Math.max(s.ema_slow + 1, s.atr_period + 2, s.volume_lookback + 1, 2 * p.levels.swing_length + 2)
}

export const PRESET_IN_USE: ErrorCode = 'PRESET_IN_USE'
export const PRESET_MISMATCH: ErrorCode = 'PRESET_MISMATCH'

const MAX_ISSUES = 10

/**
 * Validate an untrusted preset body (from a PUT/POST or the store) and name it. Unknown keys are
 * refused (a typo never silently falls back to a default). A `name` in the body must equal `name`.
 *
 * @throws DomainError VALIDATION_FAILED with `details.field` = the dotted path of the first problem
 *   (e.g. `risk.risk_per_trade`) and `details.issues` = every problem (at most 10);
 *   PRESET_MISMATCH when the body names another preset.
 * @example
 * parsePreset({ ...BUILTIN_PRESETS.balanced, risk: { ...BUILTIN_PRESETS.balanced.risk, risk_per_trade: 0.2 } }, 'mine')
 * // throws DomainError('VALIDATION_FAILED', 'Invalid preset field "risk.risk_per_trade": …', { field: 'risk.risk_per_trade', … })
 */
export function parsePreset(input: unknown, name: string): Preset {
  const named = PresetName.safeParse(name)
  if (!named.success) throw validationFailed([{ path: ['name'], message: named.error.issues[0]!.message, code: 'invalid_format' }])
  let body = input
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'name' in input) {
    const { name: bodyName, ...rest } = input as Record<string, unknown>
    if (bodyName !== name) throw presetMismatch(name, bodyName)
    body = rest
  }
  const parsed = PresetBody.safeParse(body)
  if (!parsed.success) throw validationFailed(parsed.error.issues)
  return { name, ...parsed.data }
}

/** The PRESET_MISMATCH refusal: a body naming another preset than the path. */
export function presetMismatch(pathName: string, bodyName: unknown): DomainError {
  const shown = typeof bodyName === 'string' ? bodyName.slice(0, 64) : String(bodyName).slice(0, 64)
  return new DomainError(PRESET_MISMATCH, `The body names preset "${shown}" but the path names "${pathName}"`, {
    field: 'preset',
    path_preset: pathName,
    body_preset: shown,
  })
}

/**
 * A preset with partial overrides applied (a scan request's body): each given section's given fields
 * replace the preset's, then the result is validated as a whole.
 *
 * @throws DomainError VALIDATION_FAILED with the dotted field (e.g. `scanner.min_volume_ratio`).
 * @example
 * withOverrides(balanced, { scanner: { min_volume_ratio: 3 } })
 */
export function withOverrides(preset: Preset, overrides: unknown): Preset {
  if (overrides === undefined || overrides === null) return preset
  if (typeof overrides !== 'object' || Array.isArray(overrides))
    throw validationFailed([{ path: [], message: 'overrides must be an object', code: 'invalid_type' }])
  const { name, ...base } = preset
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const current = (base as Record<string, unknown>)[key]
    merged[key] =
      isPlainObject(current) && isPlainObject(value)
        ? key === 'scanner' && isPlainObject(value.score_weights)
          ? { ...current, ...value, score_weights: { ...(current.score_weights as object), ...value.score_weights } }
          : { ...current, ...value }
        : value
  }
  return parsePreset(merged, name)
}

/** Client text echoed in an error (an unknown key) stays short. */
const cut = (text: string): string => (text.length <= 200 ? text : `${text.slice(0, 200)}… (${text.length} characters)`)

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

interface Issue {
  path: readonly PropertyKey[]
  message: string
  code: string
  keys?: readonly string[]
}

/** VALIDATION_FAILED in the server's shape (api/errors.ts `validationError`): target, field, issues. */
function validationFailed(raw: readonly Issue[]): DomainError {
  const issues = raw.slice(0, MAX_ISSUES).map((i) => {
    // An unknown key's path is its parent; name the key itself.
    const path = i.code === 'unrecognized_keys' && i.keys?.length ? [...i.path, i.keys[0]!] : i.path
    const field = path.length > 0 ? path.map(String).join('.') : 'preset'
    return { field: cut(field), message: cut(i.message), code: i.code }
  })
  const first = issues[0]!
  return new DomainError('VALIDATION_FAILED', `Invalid preset field "${first.field}": ${first.message}`, {
    target: 'preset',
    field: first.field,
    issues,
  })
}
