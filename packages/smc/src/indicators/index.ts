export { swingHighsLows } from './swing-highs-lows'
export type { SwingHighsLows, SwingHighsLowsOptions } from './swing-highs-lows'
export { bosChoch } from './bos-choch'
export type { BosChoch, BosChochOptions } from './bos-choch'
