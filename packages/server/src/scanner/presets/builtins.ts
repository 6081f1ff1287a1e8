import { parsePreset, type Preset } from './schema'

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

/** Built-in presets: every user sees them until they store their own copy (copy-on-write). */
const DEFINITIONS: readonly Preset[] = [
  {
    name: 'conservative',
    description: 'Hourly breakouts of well-tested levels in an up-trend confirmed by EMA and SMC structure; small risk.',
    strategy_type: 'breakout',
    scanner: {
      interval: '1h',
      lookback: 300,
      volume_lookback: 20,
      min_volume_ratio: 2,
      atr_period: 14,
      min_atr_pct: 0.2,
      max_atr_pct: 3,
      trend: 'up',
      trend_source: 'both',
      ema_fast: 20,
      ema_slow: 50,
      max_level_distance_pct: 0.5,
      max_candidates: 5,
      score_weights: { volume: 0.3, breakout: 0.4, trend: 0.3 },
    },
    levels: { swing_length: 5, cluster_pct: 0.25, min_touches: 3, max_levels: 5 },
    risk: { risk_per_trade: 0.005, stop_atr_multiple: 2, take_profit_r: 2, max_positions: 2 },
  },
  {
    name: 'balanced',
    description: '15-minute volume surges near or through clustered levels, either direction.',
    strategy_type: 'breakout',
    scanner: {
      interval: '15m',
      lookback: 300,
      volume_lookback: 20,
      min_volume_ratio: 1.5,
      atr_period: 14,
      min_atr_pct: 0.1,
      max_atr_pct: 5,
      trend: 'any',
      trend_source: 'ema',
      ema_fast: 12,
      ema_slow: 26,
      max_level_distance_pct: 1,
      max_candidates: 10,
      score_weights: { volume: 0.4, breakout: 0.35, trend: 0.25 },
    },
    levels: { swing_length: 5, cluster_pct: 0.3, min_touches: 2, max_levels: 6 },
    risk: { risk_per_trade: 0.01, stop_atr_multiple: 1.5, take_profit_r: 2, max_positions: 3 },
  },
  {
    name: 'aggressive',
    description: '5-minute momentum: smaller surges, wider volatility band and level distance, larger risk.',
    strategy_type: 'momentum',
    scanner: {
      interval: '5m',
      lookback: 200,
      volume_lookback: 10,
      min_volume_ratio: 1.2,
      atr_period: 14,
      min_atr_pct: 0.05,
      max_atr_pct: 10,
      trend: 'any',
      trend_source: 'ema',
      ema_fast: 9,
      ema_slow: 21,
      max_level_distance_pct: 2,
      max_candidates: 20,
      score_weights: { volume: 0.5, breakout: 0.3, trend: 0.2 },
    },
    levels: { swing_length: 3, cluster_pct: 0.5, min_touches: 2, max_levels: 8 },
    risk: { risk_per_trade: 0.02, stop_atr_multiple: 1, take_profit_r: 1.5, max_positions: 5 },
  },
  {
    name: 'breakout_v1',
    description: 'Liquid markets momentum breakout strategy',
    strategy_type: 'momentum',
    scanner: {
      interval: '15m',
      lookback: 300,
      volume_lookback: 20,
      min_volume_ratio: 1.5,
      atr_period: 14,
      min_atr_pct: 0.1,
      max_atr_pct: 5,
      trend: 'up',
      trend_source: 'ema',
      ema_fast: 12,
      ema_slow: 26,
      max_level_distance_pct: 1,
      max_candidates: 10,
      score_weights: { volume: 0.35, breakout: 0.4, trend: 0.25 },
    },
    levels: { swing_length: 5, cluster_pct: 0.3, min_touches: 2, max_levels: 6 },
    risk: { risk_per_trade: 0.006, stop_atr_multiple: 1.5, take_profit_r: 2, max_positions: 3 },
  },
  {
    name: 'scalping_high_freq',
    description: 'High-frequency scalping strategy',
    strategy_type: 'scalping',
    scanner: {
      interval: '1m',
      lookback: 240,
      volume_lookback: 30,
      min_volume_ratio: 1.3,
      atr_period: 14,
      min_atr_pct: 0.02,
      max_atr_pct: 2,
      trend: 'any',
      trend_source: 'ema',
      ema_fast: 9,
      ema_slow: 21,
      max_level_distance_pct: 0.3,
      max_candidates: 20,
      score_weights: { volume: 0.5, breakout: 0.3, trend: 0.2 },
    },
    levels: { swing_length: 3, cluster_pct: 0.15, min_touches: 2, max_levels: 6 },
    risk: { risk_per_trade: 0.003, stop_atr_multiple: 1, take_profit_r: 1.5, max_positions: 5 },
  },
]

/** The built-in presets by name, validated at load and deeply frozen (immutable). */
export const BUILTIN_PRESETS: Readonly<Record<string, Preset>> = deepFreeze(
  Object.fromEntries(DEFINITIONS.map((p) => [p.name, parsePreset(p, p.name)])),
)

/** Built-in names in their listing order. */
export const BUILTIN_PRESET_NAMES: readonly string[] = Object.freeze(DEFINITIONS.map((p) => p.name))

export const isBuiltinPreset = (name: string): boolean => Object.hasOwn(BUILTIN_PRESETS, name)
