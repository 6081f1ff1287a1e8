/**
 * `smc-trading-sdk/smc`: the SMC engine (batch indicators with exact parity to `smartmoneyconcepts`,
 * the streaming engine, the reference CSV reader/writer), bundled into the SDK with its types.
 *
 * @example
 * import { swingHighsLows, fvg, candlesFromArrays } from 'smc-trading-sdk/smc'
 * const candles = candlesFromArrays({ time, open, high, low, close, volume })
 * const swings = swingHighsLows(candles, { swingLength: 10 })
 */
// A relative import of the sources (not the workspace package name), so that tsup inlines both the
// code and the declarations: the published SDK must not depend on an unpublished workspace package.
export * from '../../smc/src/index'
