import { DomainError, idFactory, type IdFactory } from '../../core'
import type { MarketData } from '../../market'
import type { Preset } from '../presets'
import { evaluateSymbol, type SymbolEvaluation } from './evaluate'
import type { ScanCandidate, ScanRejection, ScanResult, SymbolScanReport } from './types'

export interface ScanOptions {
  /** Longest candidate list (1…100); default the preset's `scanner.max_candidates`. */
  limit?: number
  /** Makes the `scan_id` (`scan_…`); default a fresh per-process factory. */
  newId?: IdFactory
}

const defaultIds = idFactory()

/**
 * Scan `symbols` with a preset, on closed candles only (the forming candle never changes a scan):
 * evaluate every symbol (see `evaluateSymbol` for the filters), score the ones passing every filter
 * (`scoreOf`) and rank them by score, then volume ratio, then symbol. `passed_filters` counts every
 * passing symbol, `candidates` holds the best `limit` of them; every other symbol is in `rejected`
 * with the filters it failed. `now` (ms) stamps the result.
 *
 * @throws DomainError INVALID_SYMBOL for a symbol the market does not list (before scanning any);
 *   VALIDATION_FAILED (`details.field` = `limit`) for a limit outside 1…100.
 * @example
 * const result = scan(market, market.symbols(), presets.resolve(userId, 'balanced'), clock.now())
 * result.candidates[0] // { symbol: 'ETHUSDT', rank: 1, score: 0.81, reasons: ['volume surge: 4.10× …', …], … }
 */
export function scan(market: MarketData, symbols: readonly string[], preset: Preset, now: number, options: ScanOptions = {}): ScanResult {
  const limit = options.limit ?? preset.scanner.max_candidates
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new DomainError('VALIDATION_FAILED', 'limit must be an integer from 1 to 100', { field: 'limit' })
  const unique = [...new Set(symbols)]
  for (const symbol of unique) market.requireInstrument(symbol)
  const passed: SymbolEvaluation[] = []
  const rejected: ScanRejection[] = []
  for (const symbol of unique) {
    const e = evaluateSymbol(market, symbol, preset)
    if (e.failures.length === 0) passed.push(e)
    else rejected.push({ symbol, filter: e.failures[0]!.filter, reason: e.failures.map((f) => f.text).join('; ') })
  }
  passed.sort(
    (a, b) =>
      b.score! - a.score! || (b.metrics.volume_ratio ?? 0) - (a.metrics.volume_ratio ?? 0) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  )
  const candidates: ScanCandidate[] = passed.slice(0, limit).map((e, i) => ({
    symbol: e.symbol,
    rank: i + 1,
    score: e.score!,
    price: e.price!,
    direction: e.direction,
    reasons: e.reasons,
    levels: e.levels,
    metrics: e.metrics,
  }))
  return {
    scan_id: (options.newId ?? defaultIds)('scan'),
    preset: preset.name,
    interval: preset.scanner.interval,
    timestamp: new Date(now).toISOString(),
    total_scanned: unique.length,
    passed_filters: passed.length,
    candidates,
    rejected,
  }
}

/**
 * One symbol's scan figures under a preset, whether it passes or not (`GET /v1/scanner/market-data/{symbol}`).
 *
 * @throws DomainError INVALID_SYMBOL for an unknown symbol.
 * @example
 * symbolReport(market, 'BTCUSDT', presets.resolve(userId, 'balanced'), clock.now()).metrics.atr_pct
 */
export function symbolReport(market: MarketData, symbol: string, preset: Preset, now: number = market.now()): SymbolScanReport {
  const e = evaluateSymbol(market, symbol, preset)
  return {
    symbol,
    preset: preset.name,
    interval: preset.scanner.interval,
    timestamp: new Date(now).toISOString(),
    candles_analyzed: e.candlesAnalyzed,
    last_closed_candle: e.lastClosedTime === null ? null : new Date(e.lastClosedTime).toISOString(),
    price: e.price,
    passed: e.failures.length === 0,
    score: e.score,
    direction: e.direction,
    filters: e.filters,
    reasons: e.reasons,
    failures: e.failures.map((f) => f.text),
    levels: e.levels,
    metrics: e.metrics,
  }
}
