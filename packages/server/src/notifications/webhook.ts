import { createHmac, randomBytes } from 'node:crypto'
import type { Logger } from '../observability'

/** The administrator's actions that notify. */
export type NotificationEvent = 'trading.paused' | 'trading.resumed' | 'trading.emergency_stop'

/** What an admin response says of its notification. */
export interface NotificationReceipt {
  /** `disabled`: no NOTIFY_WEBHOOK_URL; `queued`: delivery (with retries) runs in the background. */
  status: 'disabled' | 'queued'
  delivery_id: string | null
}

export interface WebhookOptions {
  url: string
  secret: string
  logger: Logger
  /** Attempts per notification before it is dropped (first one included). */
  maxAttempts: number
  /** Notifications waiting at most; a full queue drops its oldest. */
  queueSize: number
  /** First retry delay; doubles per attempt, capped at 30 s. */
  backoffMs: number
  timeoutMs: number
  fetch?: typeof fetch
}

interface Delivery {
  id: string
  event: NotificationEvent
  body: string
}

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body with NOTIFY_WEBHOOK_SECRET>`. */
export const SIGNATURE_HEADER = 'X-SMC-Signature'

/**
 * The HMAC a receiver recomputes over the raw body it got.
 *
 * @example
 * const ok = timingSafeEqual(Buffer.from(signBody(secret, rawBody)), Buffer.from(req.headers['x-smc-signature']))
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * Signed JSON notifications to one webhook: queued (bounded, oldest dropped when full), delivered
 * one at a time in the background with retries and exponential backoff, so an admin request never
 * waits on the receiver.
 */
export class WebhookNotifier {
  private readonly queue: Delivery[] = []
  private sending = false
  private seq = 0
  private readonly prefix = randomBytes(4).toString('hex')
  private idleWaiters: (() => void)[] = []
  readonly stats = { queued: 0, delivered: 0, failed: 0, dropped: 0, attempts: 0 }

  constructor(private readonly o: WebhookOptions) {}

  /** Queue a notification; returns at once. */
  notify(event: NotificationEvent, data: Record<string, unknown>, at: number): NotificationReceipt {
    const id = `ntf_${this.prefix}${(++this.seq).toString(36)}`
    const body = JSON.stringify({ id, event, created_at: new Date(at).toISOString(), data })
    if (this.queue.length >= this.o.queueSize) {
      const lost = this.queue.shift()!
      this.stats.dropped++
      this.o.logger.warn({ delivery_id: lost.id, event: lost.event }, 'webhook queue full: oldest notification dropped')
    }
    this.queue.push({ id, event, body })
    this.stats.queued++
    void this.pump()
    return { status: 'queued', delivery_id: id }
  }

  /** Resolves once nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.sending && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private async pump(): Promise<void> {
    if (this.sending) return
    this.sending = true
    try {
      for (let d = this.queue.shift(); d; d = this.queue.shift()) await this.deliver(d)
    } finally {
      this.sending = false
      for (const w of this.idleWaiters.splice(0)) w()
    }
  }

  private async deliver(d: Delivery): Promise<void> {
    const fetchFn = this.o.fetch ?? fetch
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      this.stats.attempts++
      let problem: string
      try {
        const res = await fetchFn(this.o.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'smc-server-webhook',
            'X-SMC-Event': d.event,
            'X-SMC-Delivery': d.id,
            'X-SMC-Attempt': String(attempt),
            [SIGNATURE_HEADER]: signBody(this.o.secret, d.body),
          },
          body: d.body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        })
        await res.body?.cancel().catch(() => undefined)
        if (res.ok) {
          this.stats.delivered++
          return
        }
        problem = `HTTP ${res.status}`
      } catch (err) {
        problem = (err as Error).message
      }
      if (attempt === this.o.maxAttempts) break
      const wait = Math.min(30_000, this.o.backoffMs * 2 ** (attempt - 1))
      this.o.logger.warn({ delivery_id: d.id, event: d.event, attempt, problem, retry_in_ms: wait }, 'webhook delivery failed, retrying')
      await new Promise((r) => setTimeout(r, wait).unref())
    }
    this.stats.failed++
    this.o.logger.error({ delivery_id: d.id, event: d.event, attempts: this.o.maxAttempts }, 'webhook notification dropped after its last attempt')
  }
}

/** No webhook configured: every receipt says so. */
export const DISABLED_NOTIFIER = {
  notify: (): NotificationReceipt => ({ status: 'disabled', delivery_id: null }),
  idle: (): Promise<void> => Promise.resolve(),
}

export type Notifier = Pick<WebhookNotifier, 'notify' | 'idle'>
