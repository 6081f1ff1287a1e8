// Breakout scanner (seed 003): presets (built-ins, per-user copy-on-write, validation) and scans.
export * from './presets'
export * from './scan'
