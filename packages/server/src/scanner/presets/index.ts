export {
  parsePreset,
  withOverrides,
  presetMismatch,
  minimumLookback,
  PresetName,
  PRESET_NAME_PATTERN,
  PRESET_IN_USE,
  PRESET_MISMATCH,
  type Preset,
  type PresetConfig,
  type ScannerFilters,
  type LevelSettings,
  type RiskSettings,
} from './schema'
export { BUILTIN_PRESETS, BUILTIN_PRESET_NAMES, isBuiltinPreset } from './builtins'
export { PresetService, type PresetServiceOptions, type PresetView } from './preset-service'
