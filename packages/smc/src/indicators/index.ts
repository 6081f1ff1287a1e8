export { swingHighsLows } from './swing-highs-lows'
export type { SwingHighsLows, SwingHighsLowsOptions } from './swing-highs-lows'
