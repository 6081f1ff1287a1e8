/**
 * `smc-trading-sdk/smc`: the SMC engine (batch indicators with exact parity to `smartmoneyconcepts`,
 * the streaming engine, the reference CSV reader/writer), bundled into the SDK with its types.
 *
 * @example
 * import { swingHighsLows, fvg, candlesFromArrays } from 'smc-trading-sdk/smc'
 * const candles = candlesFromArrays({ time, open, high, low, close, volume })
 * const swings = swingHighsLows(candles, { swingLength: 10 })
 */
// The workspace package is a devDependency only: tsup bundles its code (`noExternal`) and inlines
// its declarations (`dts.resolve`), so the published SDK does not depend on it.
export * from '@smc-trading/smc'
