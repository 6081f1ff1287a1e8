import type { Random } from '../core'
import type { Instrument } from './instruments'
import { DAY_MINUTES } from './intervals'
import { floorToGrid, type Grid, gridOf, roundToGrid } from './precision'
import { createRandomStream } from './random-stream'

/** The final OHLCV of one simulated minute, plus the volatility it was drawn with. */
export interface MinuteBar {
  open: number
  high: number
  low: number
  close: number
  volume: number
  /** Fractional volatility of this minute (log-return standard deviation). */
  sigma: number
}

/**
 * A zeroed bar to draw into (bars are reused to keep the back-fill allocation-free).
 *
 * @example
 * const bar = emptyBar()
 */
export const emptyBar = (): MinuteBar => ({ open: 0, high: 0, low: 0, close: 0, volume: 0, sigma: 0 })

const MINUTES_PER_YEAR = 365.25 * DAY_MINUTES
/** AR(1) coefficient giving the stated half-life, in minutes. */
const decay = (halfLifeMinutes: number): number => 2 ** (-1 / halfLifeMinutes)
/** Innovation standard deviation keeping an AR(1) with coefficient `phi` at stationary sd `sd`. */
const innovation = (phi: number, sd: number): number => sd * Math.sqrt(1 - phi * phi)

// Market-wide volatility regime: crypto vol clusters across the whole market for hours.
const MARKET_VOL_PHI = decay(120)
const MARKET_VOL_SD = 0.35
const MARKET_VOL_INNOVATION = innovation(MARKET_VOL_PHI, MARKET_VOL_SD)
// Market-wide shocks (liquidation cascades, news): rare multi-sigma minutes followed by higher vol.
const MARKET_JUMP_P = 0.0006
const MARKET_JUMP_VOL_KICK = 0.5

// Per-symbol volatility regime on top of the market's.
const SYMBOL_VOL_PHI = decay(60)
const SYMBOL_VOL_SD = 0.2
const SYMBOL_VOL_INNOVATION = innovation(SYMBOL_VOL_PHI, SYMBOL_VOL_SD)
const SYMBOL_JUMP_P = 0.0004
/** Loading on the market factor: crypto pairs move together (pairwise return correlation ≈ 0.75² ≈ 0.56). */
const MARKET_LOADING = 0.75
const IDIO_LOADING = Math.sqrt(1 - MARKET_LOADING ** 2)
// Slowly varying drift, in units of the minute's sigma: gives the trending legs and pullbacks that
// market-structure (BOS/CHoCH, order blocks) needs; a pure random walk has too few clean swings.
const DRIFT_PHI = decay(240)
// Small: at one minute it is noise next to the diffusion (0.02σ); over days it adds ≈ 2·sd²/(1−φ)
// ≈ 28 % variance, i.e. realised daily volatility ≈ 1.1× the instrument's.
const DRIFT_SD = 0.02
const DRIFT_INNOVATION = innovation(DRIFT_PHI, DRIFT_SD)
/** Pull back to the instrument's initial price (30-day half-life) so a long-running server stays realistic. */
const MEAN_REVERSION = 1 - decay(30 * DAY_MINUTES)
/** E[exp(2X)] = exp(2·var) for normal X: subtracting var keeps the vol multiplier's mean square at 1. */
const VOL_BIAS = MARKET_VOL_SD ** 2 + SYMBOL_VOL_SD ** 2
const VOLUME_NOISE_SD = 0.5
const VOLUME_NOISE_BIAS = 0.5 * VOLUME_NOISE_SD ** 2
/** Normalises the move-size factor `0.55 + 0.45·|z|` to mean 1 (E|z| = √(2/π)). */
const MOVE_FACTOR_NORM = 1 / (0.55 + 0.45 * Math.sqrt(2 / Math.PI))
/** Fallback turnover for instruments without `dailyQuoteVolume`. */
const DEFAULT_DAILY_QUOTE_VOLUME = 50_000_000

const jumpSize = (random: Random, min: number, spread: number): number =>
  (random.next() < 0.5 ? -1 : 1) * (min + spread * random.next())

/**
 * The common factor of all symbols: one draw per minute of the market's return shock and
 * volatility regime. Stepped once per minute before every symbol, in minute order.
 *
 * @example
 * const factor = new MarketFactor('42:28567200')
 * factor.step()
 * factor.z // this minute's market shock
 */
export class MarketFactor {
  /** This minute's standard-normal market shock (jumps included). */
  z = 0
  /** Log of the market volatility multiplier (stationary mean 0). */
  logVol = 0
  private readonly random: Random

  constructor(seed: string) {
    this.random = createRandomStream(`market:${seed}`)
  }

  step(): void {
    const r = this.random
    this.logVol = MARKET_VOL_PHI * this.logVol + MARKET_VOL_INNOVATION * r.normal()
    let z = r.normal()
    if (r.next() < MARKET_JUMP_P) {
      z += jumpSize(r, 4, 4)
      this.logVol += MARKET_JUMP_VOL_KICK
    }
    this.z = z
  }
}

/**
 * One symbol's minute-by-minute price process: geometric Brownian motion at the instrument's annual
 * volatility, modulated by clustered volatility, intraday seasonality, drift regimes and jumps.
 * Consumes its own seeded stream strictly in minute order, so minute N is the same whether the
 * market was stepped one minute at a time or in one catch-up burst.
 *
 * @example
 * const walk = new SymbolWalk(DEFAULT_INSTRUMENTS[0]!, '42:28567200')
 * const bar = emptyBar()
 * factor.step()
 * walk.step(factor, 1, 1, bar) // bar: the next minute of BTCUSDT
 */
export class SymbolWalk {
  readonly priceGrid: Grid
  readonly lotGrid: Grid
  private readonly random: Random
  private readonly sigmaMinute: number
  private readonly logPrice0: number
  private readonly minuteQuoteVolume: number
  private readonly minVolume: number
  private logPrice: number
  private lastClose: number
  private logVol = 0
  private drift = 0

  constructor(instrument: Instrument, seed: string) {
    this.priceGrid = gridOf(instrument.tickSize)
    this.lotGrid = gridOf(instrument.lotSize)
    this.random = createRandomStream(`walk:${seed}:${instrument.symbol}`)
    this.sigmaMinute = instrument.annualVolatility / Math.sqrt(MINUTES_PER_YEAR)
    const p0 = Math.max(instrument.tickSize, roundToGrid(instrument.initialPrice, this.priceGrid))
    this.logPrice0 = Math.log(p0)
    this.logPrice = this.logPrice0
    this.lastClose = p0
    this.minuteQuoteVolume = (instrument.dailyQuoteVolume ?? DEFAULT_DAILY_QUOTE_VOLUME) / DAY_MINUTES
    this.minVolume = instrument.lotSize
  }

  /**
   * Draw the next minute into `out`. Prices are on tick, volume on lot, and
   * `low ≤ min(open, close) ≤ max(open, close) ≤ high`.
   *
   * @example
   * factor.step()
   * walk.step(factor, seasonality.volatility(m), seasonality.volume(m), bar)
   */
  step(factor: MarketFactor, volSeason: number, volumeSeason: number, out: MinuteBar): void {
    const r = this.random
    const g = this.priceGrid
    this.logVol = SYMBOL_VOL_PHI * this.logVol + SYMBOL_VOL_INNOVATION * r.normal()
    this.drift = DRIFT_PHI * this.drift + DRIFT_INNOVATION * r.normal()
    let idio = r.normal()
    if (r.next() < SYMBOL_JUMP_P) idio += jumpSize(r, 3, 3)
    const logMult = factor.logVol + this.logVol - VOL_BIAS
    const sigma = this.sigmaMinute * volSeason * Math.exp(logMult)
    const z = MARKET_LOADING * factor.z + IDIO_LOADING * idio
    this.logPrice +=
      sigma * (this.drift + z) - 0.5 * sigma * sigma - MEAN_REVERSION * (this.logPrice - this.logPrice0)

    const open = this.lastClose
    const close = Math.max(g.step, roundToGrid(Math.exp(this.logPrice), g))
    // Extremes of a Brownian bridge from open to close, sampled exactly by inverting
    // P(max > m) = exp(-2m(m - b)/σ²): wicks without simulating the path inside the minute.
    const b = Math.log(close / open)
    const s2 = sigma * sigma
    const up = 0.5 * (b + Math.sqrt(b * b - 2 * s2 * Math.log(1 - r.next())))
    const down = 0.5 * (b - Math.sqrt(b * b - 2 * s2 * Math.log(1 - r.next())))
    const hi = Math.max(roundToGrid(open * Math.exp(up), g), open, close)
    const lo = Math.max(g.step, Math.min(roundToGrid(open * Math.exp(down), g), open, close))

    // Volume follows activity: season, volatility regime and the size of the move.
    const activity = Math.exp(0.8 * logMult) * (0.55 + 0.45 * Math.abs(z)) * MOVE_FACTOR_NORM
    const noise = Math.exp(VOLUME_NOISE_SD * r.normal() - VOLUME_NOISE_BIAS)
    const raw = (this.minuteQuoteVolume / close) * volumeSeason * activity * noise

    out.open = open
    out.high = hi
    out.low = lo
    out.close = close
    out.volume = Math.max(this.minVolume, floorToGrid(raw, this.lotGrid))
    out.sigma = sigma
    this.lastClose = close
  }
}
