import type {
  EquityPoint,
  EquityQuery,
  ExecutionEquity,
  ExecutionEvent,
  ExecutionEvents,
  ExecutionEventsQuery,
  ExecutionTrade,
  ExecutionTrades,
  ExecutionTradesQuery,
} from '../types'
import { cancellable } from './cancellable'
import { ScannerMethods } from './scanner'

/** What the iterators page through themselves. */
type Paging = 'page' | 'page_size'

/**
 * `SMCClient`'s results of an execution (seed 004): its events, round trips and equity curve, each
 * as one page (`getExecution…`, with `count`, `next` and `previous`) and as an iterator over every
 * page (`execution…`) that a `signal`, `break` or `return()` ends at once.
 */
export class ExecutionResultMethods extends ScannerMethods {
  /**
   * One page of a run's events, from `since_sequence` on (strictly greater), with the total `count`.
   * @example
   * const { events, count, next } = await client.getExecutionEvents(execution_id, { event_type: 'trade_executed', page_size: 100 })
   */
  getExecutionEvents(id: number, query: ExecutionEventsQuery = {}, options: { signal?: AbortSignal } = {}): Promise<ExecutionEvents> {
    return this.unwrap(this.api.GET('/v1/executions/{execution_id}/events', { params: { path: { execution_id: id }, query }, signal: options.signal }))
  }

  /**
   * One page of a run's round trips (optionally of one `symbol` or `direction`), with the total `count`.
   * @example
   * const { trades, count } = await client.getExecutionTrades(execution_id, { symbol: 'BTCUSDT', direction: 'long' })
   */
  getExecutionTrades(id: number, query: ExecutionTradesQuery = {}, options: { signal?: AbortSignal } = {}): Promise<ExecutionTrades> {
    return this.unwrap(this.api.GET('/v1/executions/{execution_id}/trades', { params: { path: { execution_id: id }, query }, signal: options.signal }))
  }

  /**
   * One page of a run's equity curve; with `max_points` it is downsampled and `granularity_seconds`
   * says by how much (null when not applied).
   * @example
   * const { equity_curve, granularity_seconds } = await client.getExecutionEquity(execution_id, { max_points: 200 })
   */
  getExecutionEquity(id: number, query: EquityQuery = {}, options: { signal?: AbortSignal } = {}): Promise<ExecutionEquity> {
    return this.unwrap(this.api.GET('/v1/executions/{execution_id}/equity', { params: { path: { execution_id: id }, query }, signal: options.signal }))
  }

  /**
   * Every event of a run from `since_sequence` on, page by page (strictly greater sequences).
   * `signal` ends the iteration (it fails with the signal's reason).
   * @example
   * for await (const e of client.executionEvents(execution_id, { event_type: 'trade_executed' })) console.log(e.sequence, e.event)
   */
  executionEvents(id: number, query: Omit<ExecutionEventsQuery, Paging> = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<ExecutionEvent, void, undefined> {
    return cancellable(
      (signal) => bySequence((since) => this.getExecutionEvents(id, { ...query, since_sequence: since, page_size: 1000 }, { signal }), (p) => p.events, query.since_sequence),
      options.signal,
    )
  }

  /**
   * Every round trip of a run (optionally of one `symbol` or `direction`), page by page.
   * `signal` ends the iteration (it fails with the signal's reason).
   * @example
   * for await (const t of client.executionTrades(execution_id, { symbol: 'BTCUSDT' })) console.log(t.trade.exit_reason, t.trade.pnl)
   */
  executionTrades(id: number, query: Omit<ExecutionTradesQuery, Paging> = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<ExecutionTrade, void, undefined> {
    return cancellable(
      (signal) => bySequence((since) => this.getExecutionTrades(id, { ...query, since_sequence: since, page_size: 1000 }, { signal }), (p) => p.trades, query.since_sequence),
      options.signal,
    )
  }

  /**
   * A run's equity curve (optionally downsampled with `max_points`), page by page.
   * `signal` ends the iteration (it fails with the signal's reason).
   * @example
   * const curve = []
   * for await (const p of client.executionEquity(execution_id, { max_points: 500 })) curve.push([p.timestamp, p.equity])
   */
  executionEquity(id: number, query: Omit<EquityQuery, Paging> = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<EquityPoint, void, undefined> {
    const pages = async function* (this: ExecutionResultMethods, signal: AbortSignal): AsyncGenerator<EquityPoint, void, undefined> {
      for (let page = 1; ; page++) {
        const res = await this.getExecutionEquity(id, { ...query, page, page_size: 1000 }, { signal })
        yield* res.equity_curve
        if (res.next === null || res.equity_curve.length === 0) return
      }
    }
    return cancellable((signal) => pages.call(this, signal), options.signal)
  }
}

/**
 * The items of a list paged by sequence: each page asked from the last sequence of the one before
 * (stable while the run appends, unlike page numbers), until an empty or the last page.
 */
async function* bySequence<P extends { next: string | null }, T extends { sequence: number }>(
  fetchPage: (since: number) => Promise<P>,
  items: (page: P) => T[],
  since = 0,
): AsyncGenerator<T, void, undefined> {
  for (;;) {
    const page = await fetchPage(since)
    const list = items(page)
    yield* list
    if (list.length === 0 || page.next === null) return
    since = list[list.length - 1]!.sequence
  }
}
