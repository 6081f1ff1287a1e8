import type { Decision, EngineCommandResult, EngineStatus, EngineTransitions, LeaderboardEntry, SchedulerStats, SchedulerStatus, StrategyAccount, StrategyAccountCreate, StrategyAccountPatch } from '../types'
import { ExecutionMethods } from './executions'

/** `SMCClient`'s strategy accounts, leaderboard and scheduler (seed 001). */
export class RunnerMethods extends ExecutionMethods {
  /**
   * Your strategy accounts.
   * @example
   * const { accounts } = await client.listStrategyAccounts()
   */
  listStrategyAccounts(): Promise<{ accounts: StrategyAccount[] }> {
    return this.unwrap(this.api.GET('/v1/strategy-accounts'))
  }

  /**
   * Create a strategy account: a separate paper account the scheduler runs a strategy on.
   * @example
   * const acc = await client.createStrategyAccount({ name: 'btc-fast', strategy: 'sma_crossover', params: { fast: 10, slow: 30 }, symbols: ['BTCUSDT'] })
   */
  createStrategyAccount(body: StrategyAccountCreate): Promise<StrategyAccount> {
    return this.unwrap(this.api.POST('/v1/strategy-accounts', { body }))
  }

  /**
   * One of your strategy accounts.
   * @example
   * const { equity, realized_pnl } = await client.getStrategyAccount(id)
   */
  getStrategyAccount(id: string): Promise<StrategyAccount> {
    return this.unwrap(this.api.GET('/v1/strategy-accounts/{account_id}', { params: { path: { account_id: id } } }))
  }

  /**
   * Rename, re-parameterise, pause (`active: false`) or re-symbol a strategy account.
   * @example
   * await client.updateStrategyAccount(id, { params: { fast: 12 } })
   */
  updateStrategyAccount(id: string, patch: StrategyAccountPatch): Promise<StrategyAccount> {
    return this.unwrap(this.api.PATCH('/v1/strategy-accounts/{account_id}', { params: { path: { account_id: id } }, body: patch }))
  }

  /**
   * Delete a strategy account (its orders are cancelled and positions closed first).
   * @example
   * await client.deleteStrategyAccount(id)
   */
  deleteStrategyAccount(id: string): Promise<{ deleted: string }> {
    return this.unwrap(this.api.DELETE('/v1/strategy-accounts/{account_id}', { params: { path: { account_id: id } } }))
  }

  /**
   * A strategy account's recorded decisions, newest first.
   * @example
   * const { decisions } = await client.getStrategyAccountDecisions(id, { limit: 20 })
   */
  getStrategyAccountDecisions(id: string, query: { symbol?: string; limit?: number } = {}): Promise<{ decisions: Decision[]; total_count: number }> {
    return this.unwrap(this.api.GET('/v1/strategy-accounts/{account_id}/decisions', { params: { path: { account_id: id }, query } }))
  }

  /**
   * Your strategy accounts ranked by ROI (ties by pnl, then id).
   * @example
   * const { leaderboard } = await client.getLeaderboard()
   */
  getLeaderboard(): Promise<{ leaderboard: LeaderboardEntry[] }> {
    return this.unwrap(this.api.GET('/v1/leaderboard'))
  }

  /**
   * The scheduler's state: running or paused, the interval, the last and next cycle.
   * @example
   * const { next_run_at } = await client.getSchedulerStatus()
   */
  getSchedulerStatus(): Promise<SchedulerStatus> {
    return this.unwrap(this.api.GET('/v1/scheduler/status'))
  }

  /**
   * The scheduler's totals and its last 10 cycles.
   * @example
   * const { last_10_executions } = await client.getSchedulerStats()
   */
  getSchedulerStats(): Promise<SchedulerStats> {
    return this.unwrap(this.api.GET('/v1/scheduler/stats'))
  }

  /**
   * Start your trading engine on a preset (paper only), in its own paper account.
   * @example
   * const { state } = await client.startEngine({ preset: 'breakout_v1', symbols: ['BTCUSDT', 'ETHUSDT'] })
   */
  startEngine(body: { preset: string; mode?: 'paper' | 'live'; symbols?: string[] }): Promise<EngineCommandResult> {
    return this.unwrap(this.api.POST('/v1/engine/start', { body }))
  }

  /**
   * Stop, pause, resume, reload or emergency-stop your engine (400 INVALID_STATE_TRANSITION lists the allowed commands).
   * @example
   * await client.engineCommand('pause', 'lunch break')
   */
  engineCommand(command: 'stop' | 'pause' | 'resume' | 'reload' | 'emergency-stop', reason?: string): Promise<EngineCommandResult> {
    const init = { body: reason === undefined ? {} : { reason } }
    switch (command) {
      case 'stop':
        return this.unwrap(this.api.POST('/v1/engine/stop', init))
      case 'pause':
        return this.unwrap(this.api.POST('/v1/engine/pause', init))
      case 'resume':
        return this.unwrap(this.api.POST('/v1/engine/resume', init))
      case 'reload':
        return this.unwrap(this.api.POST('/v1/engine/reload', init))
      default:
        return this.unwrap(this.api.POST('/v1/engine/emergency-stop', init))
    }
  }

  /**
   * Your engine's status (IDLE before its first start).
   * @example
   * const { state, signal, positions } = await client.getEngineStatus()
   */
  getEngineStatus(): Promise<EngineStatus> {
    return this.unwrap(this.api.GET('/v1/engine/status'))
  }

  /**
   * Your engine's state history with reasons, newest first.
   * @example
   * const { transitions } = await client.getEngineTransitions({ limit: 10 })
   */
  getEngineTransitions(query: { limit?: number } = {}): Promise<EngineTransitions> {
    return this.unwrap(this.api.GET('/v1/engine/transitions', { params: { query } }))
  }

  /**
   * Run a cycle now, or pause / resume scheduled cycles (admin_full; a trigger during a cycle is 409).
   * @example
   * await client.controlScheduler('trigger')
   */
  controlScheduler(command: 'trigger' | 'pause' | 'resume'): Promise<{ status: string; message: string }> {
    if (command === 'trigger') return this.unwrap(this.api.POST('/v1/scheduler/trigger'))
    if (command === 'pause') return this.unwrap(this.api.POST('/v1/scheduler/pause'))
    return this.unwrap(this.api.POST('/v1/scheduler/resume'))
  }
}
