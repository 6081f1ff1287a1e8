import type { components, operations } from './generated/api'

// The request and response types of the SMC Trading API, named after the contract's schemas (and
// the query parameters of its list operations), so bots can type their own code with them.

type Schemas = components['schemas']
type Query<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never

// ---- auth and system ----------------------------------------------------------------------------

/**
 * Server health and its components (`getHealth`; a 503 still returns it).
 * @example const { status, components }: Health = await client.getHealth()
 */
export type Health = Schemas['Health']
/**
 * The effective configuration (`getConfig`).
 * @example const { trading, rate_limits }: Config = await admin.getConfig()
 */
export type Config = Schemas['Config']
/**
 * The `/v1/ws` stream's AsyncAPI 3 description, bundled (`getAsyncApiDocument`).
 * @example const { channels }: AsyncApiDocument = await client.getAsyncApiDocument()
 */
export type AsyncApiDocument = Schemas['AsyncApiDocument']
/**
 * Seed 002's detailed health (`getDetailedHealth`, admin_full): host, process, components, the last minute, today.
 * @example const { system, performance, executions_today }: DetailedHealth = await admin.getDetailedHealth()
 */
export type DetailedHealth = Schemas['DetailedHealth']
/**
 * Seed 002's metrics summary (`getMetricsSummary`, admin_full): requests since start and this minute, today, the hub, the process.
 * @example const { requests, last_minute, trading }: MetricsSummary = await admin.getMetricsSummary()
 */
export type MetricsSummary = Schemas['MetricsSummary']
/**
 * The API's last minute per route (`getMetricsPerformance`, admin_full).
 * @example const { routes, latency_ms }: MetricsPerformance = await admin.getMetricsPerformance()
 */
export type MetricsPerformance = Schemas['MetricsPerformance']
/**
 * The caller's account over a window (`getTradingMetrics`): volume by market, maker/taker fills, round trips, risk now.
 * @example const { volume, fills, risk }: TradingMetrics = await client.getTradingMetrics({ hours: 24 })
 */
export type TradingMetrics = Schemas['TradingMetrics']
/**
 * Runtime-tunable configuration by dotted key (`updateConfig`).
 * @example const update: ConfigUpdate = { 'trading.max_position_size': 1500 }
 */
export type ConfigUpdate = Schemas['ConfigUpdate']
/**
 * An access token with its refresh token (`generateToken`, `refreshToken`).
 * @example const { token, refresh_token, expires_at }: TokenResponse = await client.refreshToken(refresh)
 */
export type TokenResponse = Schemas['TokenResponse']
/**
 * Body of `generateToken`: whom the token is for and its scopes.
 * @example const req: GenerateTokenRequest = { user_id: 'bot-7', permissions: ['read_market_data', 'write_trades'] }
 */
export type GenerateTokenRequest = Schemas['GenerateTokenRequest']
/**
 * A permission a token may carry.
 * @example const scopes: Scope[] = ['read_market_data', 'read_trades']
 */
export type Scope = Schemas['Scope']

// ---- market data ----------------------------------------------------------------------------------

/**
 * Last price, top of book and 24h statistics of a symbol (`getMarketData`).
 * @example const { price, bid, ask }: Ticker = await client.getMarketData('BTCUSDT')
 */
export type Ticker = Schemas['Ticker']
/**
 * OHLCV candles of a symbol, ascending (`getOhlcv`).
 * @example const { data }: Ohlcv = await client.getOhlcv('BTCUSDT', { interval: '15m' })
 */
export type Ohlcv = Schemas['Ohlcv']
/**
 * One OHLCV candle.
 * @example const closes = (await client.getOhlcv('BTCUSDT')).data.map((c: Candle) => c.close)
 */
export type Candle = Schemas['Candle']
/**
 * Every enabled symbol's price, 24 h figures and spread, with a summary (`getMarketSnapshot`).
 * @example const { symbols, summary }: MarketSnapshot = await client.getMarketSnapshot()
 */
export type MarketSnapshot = Schemas['MarketSnapshot']
/**
 * One symbol's entry in the snapshot.
 * @example const eth: SymbolSnapshot = (await client.getMarketSnapshot()).symbols.ETHUSDT!
 */
export type SymbolSnapshot = Schemas['SymbolSnapshot']
/**
 * A symbol's last price (`getPrice`, and each entry of `getPrices`).
 * @example const { price }: Price = await client.getPrice('BTCUSDT')
 */
export type Price = Schemas['Price']
/**
 * Every enabled symbol's last price at one instant (`getPrices`).
 * @example const { prices, timestamp }: PriceList = await client.getPrices()
 */
export type PriceList = Schemas['PriceList']
/**
 * Technical indicators of a symbol over its closed candles (`getIndicators`).
 * @example const { rsi, macd }: Indicators = await client.getIndicators('BTCUSDT', { indicators: 'rsi,macd' })
 */
export type Indicators = Schemas['Indicators']
/**
 * Query of `getIndicators`: interval, the comma-separated indicators and periods, series length, lookback.
 * @example const query: IndicatorsQuery = { interval: '4h', indicators: 'sma,bollinger', sma_periods: '50,200', series: 20 }
 */
export type IndicatorsQuery = Query<'getIndicators'>
/**
 * A scanner preset as served: filters, level building, risk sizing, and where it comes from (`getPreset`).
 * @example const { scanner, risk }: Preset = await client.getPreset('balanced')
 */
export type Preset = Schemas['Preset']
/**
 * A preset as sent (`updatePreset`, `createPreset`): every section; a served preset may be sent back as is.
 * @example const p = await client.getPreset('balanced'); const body: PresetBody = { ...p, risk: { ...p.risk, risk_per_trade: 0.005 } }
 */
export type PresetBody = Schemas['PresetBody']
/**
 * Every preset you see (`listPresets`).
 * @example const { presets }: PresetList = await client.listPresets()
 */
export type PresetList = Schemas['PresetList']
/**
 * What `deletePreset` removed, and the built-in in effect again if it was your copy of one.
 * @example const { restored }: PresetDeleted = await client.deletePreset('balanced')
 */
export type PresetDeleted = Schemas['PresetDeleted']
/**
 * A scan: candidates ranked with their reasons, levels and metrics, and the rejected symbols (`scan`).
 * @example const { candidates }: ScanResult = await client.scan('balanced')
 */
export type ScanResult = Schemas['ScanResult']
/**
 * Optional changes for one scan: overrides of the preset, the symbols, a limit.
 * @example const req: ScanRequest = { overrides: { scanner: { min_volume_ratio: 3 } }, limit: 5 }
 */
export type ScanRequest = Schemas['ScanRequest']
/**
 * One candidate of a scan.
 * @example const [best]: ScanCandidate[] = (await client.scan('balanced')).candidates
 */
export type ScanCandidate = Schemas['ScanCandidate']
/**
 * One symbol's scan figures and filters, whether it passes or not (`getSymbolScan`).
 * @example const { passed, failures }: SymbolScanReport = await client.getSymbolScan('ETHUSDT')
 */
export type SymbolScanReport = Schemas['SymbolScanReport']
/**
 * The direction model and its computed figures (`getModelInfo`).
 * @example const { models }: ModelInfo = await client.getModelInfo()
 */
export type ModelInfo = Schemas['ModelInfo']
/**
 * A symbol's latest predictions, live hit rates and recent recorded predictions (`getPredictions`).
 * @example const { predictions }: PredictionList = await client.getPredictions({ symbol: 'BTCUSDT' })
 */
export type PredictionList = Schemas['PredictionList']
/**
 * One direction prediction: probabilities of up / flat / down over a horizon.
 * @example const [p]: Prediction[] = (await client.getPredictions({ symbol: 'BTCUSDT', horizon: 4 })).predictions
 */
export type Prediction = Schemas['Prediction']
/**
 * Query of `getPredictions`: the symbol, optionally one horizon and how many recorded predictions.
 * @example const query: PredictionsQuery = { symbol: 'ETHUSDT', horizon: 1, recent: 50 }
 */
export type PredictionsQuery = Query<'getPredictions'>
/**
 * Order book levels as [price, quantity] decimal strings (`getOrderBook`).
 * @example const { bids, asks }: OrderBook = await client.getOrderBook('BTCUSDT', { limit: 5 })
 */
export type OrderBook = Schemas['OrderBook']
/**
 * Trading rules of a symbol: tick size, lot size, minimum quantity and notional (`getInstrument`).
 * @example const { tick_size, lot_size }: Instrument = await client.getInstrument('BTCUSDT')
 */
export type Instrument = Schemas['Instrument']
/**
 * Trading rules of every tradable symbol (`getInstruments`).
 * @example const { instruments }: InstrumentList = await client.getInstruments()
 */
export type InstrumentList = Schemas['InstrumentList']
/**
 * Query of `getOhlcv`.
 * @example const query: OhlcvQuery = { interval: '1h', limit: 200 }
 */
export type OhlcvQuery = Query<'getOhlcv'>
/**
 * Query of `getOrderBook`.
 * @example const query: OrderBookQuery = { limit: 10 }
 */
export type OrderBookQuery = Query<'getOrderBook'>

// ---- analytics ------------------------------------------------------------------------------------

/**
 * Performance of the account over a period (`getPerformance`).
 * @example const { win_rate, total_pnl, max_drawdown }: PerformanceAnalytics = await client.getPerformance()
 */
export type PerformanceAnalytics = Schemas['PerformanceAnalytics']
/**
 * A rolling period of `getPerformance`.
 * @example const period: AnalyticsPeriod = '1w'
 */
export type AnalyticsPeriod = Schemas['AnalyticsPeriod']
/**
 * Query of `getPerformance`.
 * @example const query: PerformanceQuery = { period: '1m', symbol: 'BTCUSDT' }
 */
export type PerformanceQuery = Query<'getPerformance'>
/**
 * Smart Money Concepts analysis of a symbol (`getSmcAnalysis`).
 * @example const { analysis, candles_analyzed }: SmcAnalysis = await client.getSmcAnalysis('BTCUSDT')
 */
export type SmcAnalysis = Schemas['SmcAnalysis']
/**
 * The analysis itself: trend, order blocks, latest BOS/CHOCH, open FVG, liquidity sweeps.
 * @example const { trend, order_blocks }: SmcAnalysisDetail = (await client.getSmcAnalysis('BTCUSDT')).analysis
 */
export type SmcAnalysisDetail = Schemas['SmcAnalysisDetail']
/**
 * An unmitigated order block.
 * @example const strongest = (obs: SmcOrderBlock[]) => obs.reduce((a, b) => (b.strength > a.strength ? b : a))
 */
export type SmcOrderBlock = Schemas['SmcOrderBlock']
/**
 * The latest break of structure or change of character.
 * @example const confirmedUp = (b: SmcStructureBreak) => b.confirmed && b.direction === 'bullish'
 */
export type SmcStructureBreak = Schemas['SmcStructureBreak']
/**
 * The latest open fair value gap.
 * @example const open = (g: SmcFairValueGap) => g.detected && g.top !== null && g.bottom !== null
 */
export type SmcFairValueGap = Schemas['SmcFairValueGap']
/**
 * A swept liquidity pool.
 * @example const sweptAt = (s: SmcLiquiditySweep) => `${s.side} ${s.price} at ${s.timestamp}`
 */
export type SmcLiquiditySweep = Schemas['SmcLiquiditySweep']
/**
 * Trend of an analysis.
 * @example const trend: SmcTrend = 'neutral'
 */
export type SmcTrend = Schemas['SmcTrend']
/**
 * Direction of an SMC signal.
 * @example const direction: SmcDirection = 'bullish'
 */
export type SmcDirection = Schemas['SmcDirection']
/**
 * The causal (no look-ahead) analysis, present with `mode: 'causal'`: the analysed timeframe and,
 * when asked, a higher one aggregated from the same candles.
 * @example const { base, higher_timeframe }: SmcCausalAnalysis = (await client.getSmcAnalysis('BTCUSDT', { mode: 'causal', interval: '5m', higher_timeframe: '1h' })).causal!
 */
export type SmcCausalAnalysis = Schemas['SmcCausalAnalysis']
/**
 * One timeframe of the causal analysis: trend, last break, dealing range, live zones.
 * @example const inDiscount = (t: SmcCausalTimeframe) => t.dealing_range?.zone === 'discount'
 */
export type SmcCausalTimeframe = Schemas['SmcCausalTimeframe']
/**
 * A structure break of the causal analysis, with the candle that confirmed it.
 * @example const describe = (b: SmcCausalBreak) => `${b.direction} ${b.type} at ${b.level}, known ${b.confirmed_at}`
 */
export type SmcCausalBreak = Schemas['SmcCausalBreak']
/**
 * Premium / discount of the dealing range (latest swing high and low).
 * @example const cheap = (r: SmcDealingRange) => r.zone === 'discount' && r.position > 0
 */
export type SmcDealingRange = Schemas['SmcDealingRange']
/**
 * An order block, breaker block or fair value gap with its lifecycle state.
 * @example const untested = (zones: SmcZone[]) => zones.filter((z) => z.state === 'active')
 */
export type SmcZone = Schemas['SmcZone']
/**
 * Query of `getSmcAnalysis`.
 * @example const query: SmcAnalysisQuery = { interval: '5m', lookback: 300, swing_length: 10, mode: 'causal', higher_timeframe: '1h' }
 */
export type SmcAnalysisQuery = Query<'getSmcAnalysis'>

// ---- trading ----------------------------------------------------------------------------------------

/**
 * An order to submit (`executeTrade`).
 * @example const req: TradeRequest = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, client_order_id: 'bot-42' }
 */
export type TradeRequest = Schemas['TradeRequest']
/**
 * An order and its fill state.
 * @example const { order_id, status, average_price }: Order = await client.executeTrade(req)
 */
export type Order = Schemas['Order']
/**
 * A page of orders (`listOrders`).
 * @example const { orders, total_count }: OrderList = await client.listOrders({ status: 'open' })
 */
export type OrderList = Schemas['OrderList']
/**
 * The status of an order.
 * @example const done = (s: OrderStatus) => s === 'filled' || s === 'cancelled' || s === 'rejected' || s === 'expired'
 */
export type OrderStatus = Schemas['OrderStatus']
/**
 * The answer to `cancelOrder`.
 * @example const { status, cancelled_at }: CancelOrderResponse = await client.cancelOrder(order.order_id)
 */
export type CancelOrderResponse = Schemas['CancelOrderResponse']
/**
 * The answer to `cancelAllOrders`: the orders cancelled in one transaction.
 * @example const { cancelled_count, orders }: CancelAllOrdersResponse = await client.cancelAllOrders({ symbol: 'BTCUSDT' })
 */
export type CancelAllOrdersResponse = Schemas['CancelAllOrdersResponse']
/**
 * The answer to `closeAllPositions`: positions closed (flat or not), denied closes and cancelled orders.
 * @example const { closed_count, denied, positions_open }: CloseAllPositionsResponse = await client.closeAllPositions()
 */
export type CloseAllPositionsResponse = Schemas['CloseAllPositionsResponse']
/**
 * A position, marked to the last price.
 * @example const { symbol, quantity, unrealized_pnl }: Position = await client.getPosition('pos_123')
 */
export type Position = Schemas['Position']
/**
 * New exit prices of an open position (`updatePosition`): a price sets or moves that exit, null removes it.
 * @example const change: UpdatePositionRequest = { stop_loss: 44000, take_profit: null }
 */
export type UpdatePositionRequest = Schemas['UpdatePositionRequest']
/**
 * Positions with total exposure and PnL (`getPositions`).
 * @example const { positions, total_pnl }: PositionList = await client.getPositions({ symbol: 'BTCUSDT' })
 */
export type PositionList = Schemas['PositionList']
/**
 * One fill.
 * @example const realized = (fills: Trade[]) => fills.reduce((sum, t) => sum + t.pnl, 0)
 */
export type Trade = Schemas['Trade']
/**
 * A page of fills (`getTradeHistory`).
 * @example const { trades, total_pages }: TradeHistory = await client.getTradeHistory({ page: 1 })
 */
export type TradeHistory = Schemas['TradeHistory']
/**
 * The paper account: balance, equity, margin (`getAccount`).
 * @example const { balance, equity, available_balance }: Account = await client.getAccount()
 */
export type Account = Schemas['Account']
/**
 * Query of `getPositions` / `positions`.
 * @example const query: PositionsQuery = { status: 'closed', limit: 50 }
 */
export type PositionsQuery = Query<'getPositions'>
/**
 * Query of `listOrders` / `orders`.
 * @example const query: OrdersQuery = { status: 'open', symbol: 'BTCUSDT' }
 */
export type OrdersQuery = Query<'listOrders'>
/**
 * Query of `getTradeHistory` / `tradeHistory`.
 * @example const query: TradeHistoryQuery = { symbol: 'BTCUSDT', start_date: '2024-01-01T00:00:00Z' }
 */
export type TradeHistoryQuery = Query<'getTradeHistory'>
/**
 * One closed round trip (open → flat) with its net PnL, fees, duration and exit reason.
 * @example const { pnl, exit_reason, duration_seconds }: RoundTrip = (await client.listRoundTrips()).round_trips[0]
 */
export type RoundTrip = Schemas['RoundTrip']
/**
 * Why a round trip ended (LIQUIDATION is never produced: margin is 1×).
 * @example const stopped = (r: ExitReason) => r === 'STOP_LOSS'
 */
export type ExitReason = Schemas['ExitReason']
/**
 * A page of round trips (`listRoundTrips`).
 * @example const { round_trips, has_more }: RoundTripList = await client.listRoundTrips({ symbol: 'BTCUSDT' })
 */
export type RoundTripList = Schemas['RoundTripList']
/**
 * Query of `listRoundTrips` / `roundTrips`.
 * @example const query: RoundTripsQuery = { symbol: 'BTCUSDT', start_date: '2024-01-01T00:00:00Z', limit: 50 }
 */
export type RoundTripsQuery = Query<'listRoundTrips'>

// ---- risk -------------------------------------------------------------------------------------------

/**
 * Risk metrics of the account now (`getRiskMetrics`).
 * @example const { var_95, risk_score }: RiskMetrics = await client.getRiskMetrics()
 */
export type RiskMetrics = Schemas['RiskMetrics']
/**
 * The risk limits in force (`getRiskLimits`).
 * @example const { max_daily_loss, position_limits }: RiskLimits = await client.getRiskLimits()
 */
export type RiskLimits = Schemas['RiskLimits']
/**
 * A change of risk limits (`updateRiskLimits`).
 * @example const update: RiskLimitsUpdate = { max_daily_loss: 1000, position_limits: { BTCUSDT: 0.5 } }
 */
export type RiskLimitsUpdate = Schemas['RiskLimitsUpdate']
/**
 * A risk event (a limit approached, an order denied).
 * @example const urgent = (e: RiskEvent) => e.severity === 'high' && !e.resolved
 */
export type RiskEvent = Schemas['RiskEvent']
/**
 * Risk events, newest first (`getRiskEvents`).
 * @example const { events }: RiskEventList = await client.getRiskEvents({ resolved: false })
 */
export type RiskEventList = Schemas['RiskEventList']
/**
 * Query of `getRiskEvents`.
 * @example const query: RiskEventsQuery = { severity: 'high', resolved: false }
 */
export type RiskEventsQuery = Query<'getRiskEvents'>
/**
 * An account's protections (cooldown, stoploss_guard, max_drawdown; each null when off), in `RiskLimits`.
 * @example const p: Protections = { cooldown: { losing_trades: 3, lock_minutes: 60, lookback_minutes: 1440 }, stoploss_guard: null, max_drawdown: null }
 */
export type Protections = Schemas['Protections']
/**
 * A lock a protection created (`listRiskLocks`, `deleteRiskLock`).
 * @example const blocksBtc = (l: RiskLock) => l.active && (l.symbol === null || l.symbol === 'BTCUSDT')
 */
export type RiskLock = Schemas['RiskLock']
/**
 * Protection locks, newest first (`listRiskLocks`).
 * @example const { locks }: RiskLockList = await client.listRiskLocks({ active: true })
 */
export type RiskLockList = Schemas['RiskLockList']
/**
 * Query of `listRiskLocks`.
 * @example const query: RiskLocksQuery = { active: true, limit: 10 }
 */
export type RiskLocksQuery = Query<'listRiskLocks'>
/**
 * Whether orders are accepted now (`getTradingStatus`).
 * @example const { status, reason, resume_at }: TradingStatus = await client.getTradingStatus()
 */
export type TradingStatus = Schemas['TradingStatus']

// ---- administration -------------------------------------------------------------------------------

/**
 * Body of `pauseTrading`.
 * @example const req: TradingPauseRequest = { reason: 'maintenance', duration_seconds: 300, cancel_orders: true }
 */
export type TradingPauseRequest = Schemas['TradingPauseRequest']
/**
 * Body of `resumeTrading`.
 * @example const req: TradingResumeRequest = { user_id: 'bot-7' }
 */
export type TradingResumeRequest = Schemas['TradingResumeRequest']
/**
 * The answer to `pauseTrading` / `resumeTrading`.
 * @example const { status, scope, orders_cancelled }: TradingControl = await admin.pauseTrading({ reason: 'maintenance' })
 */
export type TradingControl = Schemas['TradingControl']
/**
 * Body of `emergencyStop`.
 * @example const req: EmergencyStopRequest = { confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'Feed anomaly', flatten_positions: true }
 */
export type EmergencyStopRequest = Schemas['EmergencyStopRequest']
/**
 * The answer to `emergencyStop`.
 * @example const { incident_id, orders_cancelled }: EmergencyStopResult = await admin.emergencyStop(req)
 */
export type EmergencyStopResult = Schemas['EmergencyStopResult']
/**
 * The built-in strategies and their parameter schemas.
 * @example const { strategies }: StrategyList = await client.listStrategies()
 */
export type StrategyList = Schemas['StrategyList']
/**
 * A backtest to run: strategy, params, symbol, interval, ISO start and end.
 * @example const req: BacktestRequest = { strategy: 'sma_crossover', params: { fast: 10, slow: 30 }, symbol: 'BTCUSDT', interval: '1h', start_time: '2024-01-01', end_time: '2024-02-01' }
 */
export type BacktestRequest = Schemas['BacktestRequest']
/**
 * The task and first execution of an accepted backtest (`createBacktest`).
 * @example const { execution_id }: BacktestAccepted = await client.createBacktest(req)
 */
export type BacktestAccepted = Schemas['BacktestAccepted']
/**
 * A backtest task with its executions (`getBacktest`).
 * @example const { executions }: BacktestTask = await client.getBacktest(taskId)
 */
export type BacktestTask = Schemas['BacktestTask']
/**
 * An execution's status, progress and latest checkpoint (`getExecutionStatus`).
 * @example const { status, progress }: ExecutionStatus = await client.getExecutionStatus(id)
 */
export type ExecutionStatus = Schemas['ExecutionStatus']
/**
 * Executions, paginated (`listExecutions`).
 * @example const { executions, count }: ExecutionList = await client.listExecutions({ task_type: 'backtest' })
 */
export type ExecutionList = Schemas['ExecutionList']
/**
 * One event of a run.
 * @example for await (const e of client.executionEvents(id)) console.log(e.event_type)
 */
export type ExecutionEvent = Schemas['ExecutionEvent']
/**
 * One page of a run's events (`getExecutionEvents`): `count` is the total matching.
 * @example const { events, count, next }: ExecutionEvents = await client.getExecutionEvents(id, { page_size: 100 })
 */
export type ExecutionEvents = Schemas['ExecutionEvents']
/**
 * One round trip of a run.
 * @example for await (const t of client.executionTrades(id)) console.log(t.trade.pnl)
 */
export type ExecutionTrade = Schemas['ExecutionTrade']
/**
 * One page of a run's round trips (`getExecutionTrades`): `count` is the total matching.
 * @example const { trades, count }: ExecutionTrades = await client.getExecutionTrades(id, { symbol: 'BTCUSDT' })
 */
export type ExecutionTrades = Schemas['ExecutionTrades']
/**
 * One point of a run's equity curve.
 * @example for await (const p of client.executionEquity(id)) console.log(p.equity)
 */
export type EquityPoint = Schemas['EquityPoint']
/**
 * One page of a run's equity curve (`getExecutionEquity`), with the downsampling step `granularity_seconds`.
 * @example const { equity_curve, granularity_seconds }: ExecutionEquity = await client.getExecutionEquity(id, { max_points: 200 })
 */
export type ExecutionEquity = Schemas['ExecutionEquity']
/**
 * A run's latest metrics checkpoint (`getExecutionMetrics`).
 * @example const { checkpoint }: LatestMetrics = await client.getExecutionMetrics(id)
 */
export type LatestMetrics = Schemas['LatestMetrics']
/**
 * Filters of `listExecutions`.
 * @example const q: ExecutionsQuery = { task_type: 'backtest', status: 'completed', page_size: 50 }
 */
export type ExecutionsQuery = Query<'listExecutions'>
/**
 * Filters of the equity curve (`executionEquity`, `getExecutionEquity`): time range, max_points.
 * @example const q: EquityQuery = { max_points: 200 }
 */
export type EquityQuery = Query<'getExecutionEquity'>
/**
 * Filters and page of a run's events (`getExecutionEvents`, `executionEvents`).
 * @example const q: ExecutionEventsQuery = { event_type: 'trade_executed', since_sequence: 40 }
 */
export type ExecutionEventsQuery = Query<'getExecutionEvents'>
/**
 * Filters and page of a run's round trips (`getExecutionTrades`, `executionTrades`).
 * @example const q: ExecutionTradesQuery = { symbol: 'BTCUSDT', direction: 'long' }
 */
export type ExecutionTradesQuery = Query<'getExecutionTrades'>
/**
 * Your backtest tasks, paginated, each with its executions (`listBacktests`).
 * @example const { tasks, count }: BacktestTaskList = await client.listBacktests()
 */
export type BacktestTaskList = Schemas['BacktestTaskList']
/**
 * Page of `listBacktests`.
 * @example const q: BacktestsQuery = { page: 2, page_size: 50 }
 */
export type BacktestsQuery = Query<'listBacktests'>
/**
 * A strategy account: a separate paper account run by a strategy.
 * @example const acc: StrategyAccount = await client.getStrategyAccount(id)
 */
export type StrategyAccount = Schemas['StrategyAccount']
/**
 * A new strategy account's name, strategy, params, symbols, interval.
 * @example const body: StrategyAccountCreate = { name: 'btc-fast', strategy: 'sma_crossover', symbols: ['BTCUSDT'] }
 */
export type StrategyAccountCreate = Schemas['StrategyAccountCreate']
/**
 * Changes to a strategy account.
 * @example const patch: StrategyAccountPatch = { active: false }
 */
export type StrategyAccountPatch = Schemas['StrategyAccountPatch']
/**
 * One recorded decision of a cycle.
 * @example const [d]: Decision[] = (await client.getStrategyAccountDecisions(id)).decisions
 */
export type Decision = Schemas['Decision']
/**
 * One ranked strategy account.
 * @example const [top]: LeaderboardEntry[] = (await client.getLeaderboard()).leaderboard
 */
export type LeaderboardEntry = Schemas['LeaderboardEntry']
/**
 * The scheduler's state.
 * @example const { is_paused, next_run_at }: SchedulerStatus = await client.getSchedulerStatus()
 */
export type SchedulerStatus = Schemas['SchedulerStatus']
/**
 * The scheduler's counts and last cycles.
 * @example const { success_rate }: SchedulerStats = await client.getSchedulerStats()
 */
export type SchedulerStats = Schemas['SchedulerStats']
/**
 * Your trading engine's state, preset, commands, counters, candidate, signal and positions (`getEngineStatus`).
 * @example const { state, commands }: EngineStatus = await client.getEngineStatus()
 */
export type EngineStatus = Schemas['EngineStatus']
/**
 * What an engine command did (`engineCommand`).
 * @example const { state, changed }: EngineCommandResult = await client.engineCommand('pause')
 */
export type EngineCommandResult = Schemas['EngineCommandResult']
/**
 * The engine's state history (`getEngineTransitions`).
 * @example const { transitions }: EngineTransitions = await client.getEngineTransitions({ limit: 20 })
 */
export type EngineTransitions = Schemas['EngineTransitions']
/**
 * The stream hub's statistics: connections, subscriptions, frames, the replay journal (`getWsStats`).
 * @example const stats: WsStats = await admin.getWsStats()
 */
export type WsStats = Schemas['WsStats']
