import { OrderWaitTimeoutError } from '../errors'
import { StreamClient } from '../stream'
import type { Order, OrderStatus, TradeRequest } from '../types'
import { StreamMethods } from './stream'

const FINAL: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['filled', 'cancelled', 'rejected', 'expired'])

/**
 * Options of `submitAndWait`.
 * @example
 * const opts: SubmitAndWaitOptions = { timeoutMs: 10_000, pollIntervalMs: 500 }
 */
export interface SubmitAndWaitOptions {
  /** Give up after this long (ms, default 30000) with an `OrderWaitTimeoutError`; the order stays live. */
  timeoutMs?: number
  /** Polling period (ms, default 1000) without a stream; with one, polling every 5× this is only a safety net. */
  pollIntervalMs?: number
  /** `false`: poll only, never open a WebSocket. */
  stream?: boolean
}

/** `SMCClient`'s conveniences built on orders and the stream. */
export class OrderWaitMethods extends StreamMethods {
  /**
   * Place an order and resolve with it once it is final (`filled`, `cancelled`, `rejected` or
   * `expired`). Its `trade_update`s come from the stream — the client's own stream when it is
   * connected, else a stream opened for this call and closed after — with `getOrder` polled as the
   * fallback (no WebSocket available) and safety net. After `timeoutMs` it rejects with an
   * {@link OrderWaitTimeoutError} that carries the order id and its last known state; the order
   * itself stays live (cancel it if you no longer want it).
   * @example
   * try {
   *   const order = await client.submitAndWait({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: 0.01, price: 60_000 }, { timeoutMs: 5_000 })
   *   console.log(order.status, order.average_price)
   * } catch (e) {
   *   if (e instanceof OrderWaitTimeoutError) await client.cancelOrder(e.orderId)
   * }
   */
  async submitAndWait(order: TradeRequest, options: SubmitAndWaitOptions = {}): Promise<Order> {
    const timeoutMs = options.timeoutMs ?? 30_000
    const pollMs = options.pollIntervalMs ?? 1_000
    const deadline = Date.now() + timeoutMs
    // Listen before placing: a market order's fill may be on the wire before its HTTP answer.
    const finals = new Map<string, OrderStatus>()
    let wake: (() => void) | undefined
    const onUpdate = (t: { order_id: string; status: OrderStatus }): void => {
      if (!FINAL.has(t.status)) return
      finals.set(t.order_id, t.status)
      wake?.()
    }
    const stream = options.stream === false ? undefined : await this.orderStream(onUpdate, Math.min(5_000, timeoutMs))
    try {
      let current = await this.executeTrade(order)
      const id = current.order_id
      while (!FINAL.has(current.status)) {
        if (!finals.has(id)) {
          const left = deadline - Date.now()
          if (left <= 0) throw new OrderWaitTimeoutError(current, timeoutMs)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(left, stream ? pollMs * 5 : pollMs))
            wake = () => {
              if (!finals.has(id)) return
              clearTimeout(timer)
              resolve()
            }
          })
          wake = undefined
        }
        current = await this.getOrder(id)
        if (!FINAL.has(current.status) && Date.now() >= deadline) throw new OrderWaitTimeoutError(current, timeoutMs)
      }
      return current
    } finally {
      await stream?.release()
    }
  }

  /** A stream delivering the account's trade_updates to `cb`, or undefined when none connects in `withinMs`. */
  private async orderStream(
    cb: (t: { order_id: string; status: OrderStatus }) => void,
    withinMs: number,
  ): Promise<{ release: () => Promise<void> } | undefined> {
    const shared = this.stream()
    const own = shared.state === 'open' ? undefined : new StreamClient({ baseUrl: this.options.baseUrl, token: () => this.token })
    const s = own ?? shared
    const off = s.on('trade_update', cb)
    const release = async (): Promise<void> => {
      off()
      await own?.close().catch(() => {})
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const ready = (async () => {
        if (own) await own.connect()
        await s.subscribe('trades')
      })()
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('stream not ready')), withinMs)
      })
      await Promise.race([ready, late])
      return { release }
    } catch {
      // No stream (no `ws` in this runtime, a proxy, the connection limit): polling alone.
      await release()
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }
}
