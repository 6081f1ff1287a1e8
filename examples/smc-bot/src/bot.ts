import { SMCApiError, type Instrument, type SMCClient, type SmcAnalysisQuery } from 'smc-trading-sdk'
import { positionSize, toTick } from './sizing'
import { decide, type StrategyOptions } from './strategy'

export interface BotConfig extends StrategyOptions {
  symbols: string[]
  /** Candle interval of the SMC analysis (default 15m). */
  interval?: NonNullable<SmcAnalysisQuery['interval']>
  /** Share of the available balance put into one new position (default 0.02). */
  riskPerTrade?: number
  /** Where the bot's lines go (default console.log). */
  log?: (line: string) => void
}

/** What one cycle did for one symbol. */
export interface Decision {
  symbol: string
  action: 'hold' | 'open' | 'close' | 'paused' | 'skipped' | 'denied'
  detail: string
  orderId?: string
}

/**
 * The seed's trading bot on smc-trading-sdk: each cycle reads the SMC analysis, the ticker and the
 * open position of every symbol, asks the strategy, and trades at market with stop loss and take
 * profit. Sizes respect the instrument's lot size and minimums, prices its tick size; a pause by
 * the administrator (TRADING_PAUSED) is waited out, other denials are reported and skipped.
 *
 * @example
 * const bot = new SmcBot(client, { symbols: ['BTCUSDT', 'ETHUSDT'] })
 * const decisions = await bot.cycle()
 */
export class SmcBot {
  private readonly instruments = new Map<string, Instrument>()
  /** Client order ids this bot sent: one order per structure break. */
  private readonly traded = new Set<string>()
  private readonly log: (line: string) => void

  constructor(
    private readonly client: SMCClient,
    private readonly config: BotConfig,
  ) {
    this.log = config.log ?? ((line) => console.log(line))
  }

  /** One pass over every symbol; resolves with what was decided and done. */
  async cycle(): Promise<Decision[]> {
    const status = await this.client.getTradingStatus()
    if (status.status === 'paused') {
      const until = status.resume_at ? `until ${status.resume_at}` : 'until resumed'
      return this.report(this.config.symbols.map((symbol) => ({ symbol, action: 'paused', detail: `${status.reason ?? 'trading paused'} (${until})` })))
    }
    const out: Decision[] = []
    for (const symbol of this.config.symbols) out.push(await this.trade(symbol))
    return this.report(out)
  }

  /**
   * Cycle every `everyMs` until `signal` aborts; one failing cycle (network, server restart) is
   * logged and the next one tries again.
   */
  async run(everyMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.cycle()
      } catch (e) {
        this.log(`cycle failed: ${e instanceof Error ? e.message : String(e)}`)
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, everyMs)
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
      })
    }
  }

  /** Close every open position of the configured symbols at market (the seed bot's stop). */
  async closeAll(): Promise<Decision[]> {
    const out: Decision[] = []
    for (const symbol of this.config.symbols) {
      const [p] = (await this.client.getPositions({ symbol, status: 'open' })).positions
      if (!p) continue
      const side = p.side === 'long' ? 'sell' : 'buy'
      const order = await this.client.executeTrade({ symbol, side, type: 'market', quantity: p.quantity })
      out.push({ symbol, action: 'close', detail: `${side} ${p.quantity} at ${order.average_price} (bot stopping)`, orderId: order.order_id })
    }
    return this.report(out)
  }

  private async trade(symbol: string): Promise<Decision> {
    const [analysis, ticker, positions] = await Promise.all([
      this.client.getSmcAnalysis(symbol, { interval: this.config.interval ?? '15m' }),
      this.client.getMarketData(symbol),
      this.client.getPositions({ symbol, status: 'open' }),
    ])
    const position = positions.positions[0]
    const signal = decide(analysis, ticker.price, position, this.config)
    if (!signal) return { symbol, action: 'hold', detail: `trend ${analysis.analysis.trend}${position ? `, holding ${position.side} ${position.quantity}` : ''}` }
    try {
      if (signal.intent === 'close') {
        const order = await this.client.executeTrade({ symbol, side: signal.action, type: 'market', quantity: position!.quantity })
        return { symbol, action: 'close', detail: `${signal.action} ${position!.quantity} at ${order.average_price}: ${signal.reason}`, orderId: order.order_id }
      }
      const brk = analysis.analysis.choch_bos
      // One order per structure break: a retried request, a restarted bot or a stop-out followed by
      // the same signal never opens a second position (the server answers with the first order).
      const clientOrderId = `smc-bot-${symbol}-${brk.direction}-${brk.price_level}`
      if (this.traded.has(clientOrderId)) return { symbol, action: 'hold', detail: `${signal.reason}, already traded` }
      const instrument = await this.instrument(symbol)
      const { available_balance } = await this.client.getAccount()
      const quantity = positionSize(available_balance, this.config.riskPerTrade ?? 0.02, ticker.price, instrument)
      if (quantity === 0) return { symbol, action: 'skipped', detail: `${signal.reason}, but the size is below the instrument's minimum` }
      const order = await this.client.executeTrade({
        symbol,
        side: signal.action,
        type: 'market',
        quantity,
        stop_loss: toTick(signal.stopLoss!, instrument, ticker.price),
        take_profit: toTick(signal.takeProfit!, instrument, ticker.price),
        client_order_id: clientOrderId,
      })
      this.traded.add(clientOrderId)
      if (Date.parse(order.created_at) < Date.parse(analysis.timestamp))
        return { symbol, action: 'hold', detail: `${signal.reason}, already traded (order ${order.order_id})`, orderId: order.order_id }
      return { symbol, action: 'open', detail: `${signal.action} ${quantity} at ${order.average_price}: ${signal.reason}`, orderId: order.order_id }
    } catch (e) {
      if (!(e instanceof SMCApiError) || e.status !== 400) throw e
      return { symbol, action: e.code === 'TRADING_PAUSED' ? 'paused' : 'denied', detail: `${e.code}: ${e.message}` }
    }
  }

  private async instrument(symbol: string): Promise<Instrument> {
    let i = this.instruments.get(symbol)
    if (!i) this.instruments.set(symbol, (i = await this.client.getInstrument(symbol)))
    return i
  }

  private report(decisions: Decision[]): Decision[] {
    for (const d of decisions) this.log(`${d.symbol.padEnd(9)} ${d.action.padEnd(7)} ${d.detail}`)
    return decisions
  }
}
