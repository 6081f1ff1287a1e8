import type { ModelInfo, PredictionList, PredictionsQuery, Preset, PresetBody, PresetDeleted, PresetList, ScanRequest, ScanResult, SymbolScanReport } from '../types'
import { MarketMethods } from './market'

/** `SMCClient`'s scanner presets and scanner (seed 003), and the prediction model (seed 002). */
export class ScannerMethods extends MarketMethods {
  /**
   * The built-in presets (your copy where you changed one) and your own.
   * @example
   * const { presets } = await client.listPresets()
   * console.log(presets.map((p) => `${p.name}${p.modified ? ' (yours)' : ''}`))
   */
  listPresets(): Promise<PresetList> {
    return this.unwrap(this.api.GET('/v1/presets'))
  }

  /**
   * One preset as you see it.
   * @example
   * const { risk } = await client.getPreset('conservative')
   */
  getPreset(name: string): Promise<Preset> {
    return this.unwrap(this.api.GET('/v1/presets/{name}', { params: { path: { name } } }))
  }

  /**
   * Replace a preset whole; for a built-in name this stores your copy (others keep the built-in).
   * Scope `write_trades`.
   * @example
   * const p = await client.getPreset('balanced')
   * await client.updatePreset('balanced', { ...p, risk: { ...p.risk, risk_per_trade: 0.005 } })
   */
  updatePreset(name: string, body: PresetBody): Promise<Preset> {
    return this.unwrap(this.api.PUT('/v1/presets/{name}', { params: { path: { name } }, body }))
  }

  /**
   * Store a preset of your own; the body names it. Scope `write_trades`.
   * @example
   * const p = await client.getPreset('aggressive')
   * await client.createPreset({ ...p, name: 'my_breakout', scanner: { ...p.scanner, interval: '4h' } })
   */
  createPreset(body: PresetBody & { name: string }): Promise<Preset> {
    return this.unwrap(this.api.POST('/v1/presets', { body }))
  }

  /**
   * Delete your preset, or your copy of a built-in (which is then in effect again). Scope `write_trades`.
   * @example
   * const { restored } = await client.deletePreset('balanced')
   */
  deletePreset(name: string): Promise<PresetDeleted> {
    return this.unwrap(this.api.DELETE('/v1/presets/{name}', { params: { path: { name } } }))
  }

  /**
   * Scan every enabled symbol with a preset (optionally changed for this scan only): candidates
   * ranked by score with the reasons each passed and the levels used, and why the others did not.
   * @example
   * const { candidates } = await client.scan('balanced', { overrides: { scanner: { min_volume_ratio: 2 } } })
   * for (const c of candidates) console.log(c.rank, c.symbol, c.score, c.reasons)
   */
  scan(preset: string, request: ScanRequest = {}): Promise<ScanResult> {
    return this.unwrap(this.api.POST('/v1/scanner/scan/{preset}', { params: { path: { preset } }, body: request }))
  }

  /**
   * Your latest scan, or null before your first.
   * @example
   * const { scan } = await client.getLastScan()
   */
  getLastScan(): Promise<{ scan: ScanResult | null }> {
    return this.unwrap(this.api.GET('/v1/scanner/last'))
  }

  /**
   * One symbol's scan figures, filters and levels under a preset (default `balanced`).
   * @example
   * const { passed, levels, metrics } = await client.getSymbolScan('BTCUSDT', { preset: 'aggressive' })
   */
  getSymbolScan(symbol: string, query: { preset?: string } = {}): Promise<SymbolScanReport> {
    return this.unwrap(this.api.GET('/v1/scanner/market-data/{symbol}', { params: { path: { symbol }, query } }))
  }

  /**
   * The direction model: features, training window, held-out accuracy and log loss against the
   * majority-class baseline, walk-forward folds, live hit rate. 503 MODEL_UNAVAILABLE before it trained.
   * @example
   * const { models } = await client.getModelInfo()
   * for (const m of models) console.log(m.symbol, m.horizon, m.held_out?.accuracy, m.baseline?.accuracy)
   */
  getModelInfo(): Promise<ModelInfo> {
    return this.unwrap(this.api.GET('/v1/ml/model/info'))
  }

  /**
   * A symbol's latest predictions (per horizon, or one), live hit rates and recent recorded predictions.
   * @example
   * const { predictions } = await client.getPredictions({ symbol: 'BTCUSDT', horizon: 4 })
   * console.log(predictions[0]?.prediction, predictions[0]?.probabilities)
   */
  getPredictions(query: PredictionsQuery): Promise<PredictionList> {
    return this.unwrap(this.api.GET('/v1/ml/predictions', { params: { query } }))
  }
}
