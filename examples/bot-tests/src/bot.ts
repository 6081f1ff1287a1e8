// A small protective-entry bot: buy at market with a stop loss a fixed percentage below the price
// and a take profit twice as far above (2:1), sized to risk a fixed amount of quote currency.
import type { Order, SMCClient } from 'smc-trading-sdk'

export interface EntryPlan {
  symbol: string
  /** Quote currency lost if the stop triggers (before fees). */
  riskAmount: number
  /** Stop distance below the entry, in percent. */
  stopPercent: number
}

/** Enter long with a stop loss and a take profit; resolves to the filled entry order. */
export async function enterLong(client: SMCClient, plan: EntryPlan): Promise<Order> {
  const { price } = await client.getMarketData(plan.symbol)
  const stop = price * (1 - plan.stopPercent / 100)
  const quantity = Number((plan.riskAmount / (price - stop)).toFixed(4))
  return client.executeTrade({
    symbol: plan.symbol,
    side: 'buy',
    type: 'market',
    quantity,
    stop_loss: Number(stop.toFixed(2)),
    take_profit: Number((price + 2 * (price - stop)).toFixed(2)),
    client_order_id: `bot-${plan.symbol}-${Date.now()}`,
  })
}
