import { describe, expect, it } from 'vitest'
import { DomainError, EventBus, ManualClock, idFactory, toAtoms, type DomainEvent } from '../core'
import { openDatabase, SqliteRiskEventRepository, unitOfWork } from '../store'
import { RiskEventLog } from './event-log'
import { NO_PROTECTIONS } from './protections'
import type { EffectiveLimits, Portfolio } from './types'

const limits: EffectiveLimits = { maxPositionSize: 1, maxDailyLoss: 1_000, maxDrawdown: 0.2, stopLossPercent: null, positionLimits: {}, protections: NO_PROTECTIONS, updatedAt: null }
const portfolio = (exposure: number, now: number): Portfolio => ({
  accountId: 'acc_1',
  userId: 'alice',
  now,
  balance: toAtoms(10_000),
  equity: toAtoms(10_000),
  exposure: toAtoms(exposure),
  positions: [],
  peakEquity: toAtoms(10_000),
  dayStartEquity: toAtoms(10_000),
})

function fresh() {
  const db = openDatabase(':memory:')
  const uow = unitOfWork(db)
  const clock = new ManualClock(Date.UTC(2024, 0, 1))
  const bus = new EventBus()
  const published: DomainEvent[] = []
  bus.subscribe((e) => published.push(e))
  const log = new RiskEventLog(new SqliteRiskEventRepository(db), uow, clock, bus, idFactory('t'))
  return { db, uow, log, published }
}

describe('risk event log', () => {
  it('warns from 80 % usage, escalates in place, resolves below it', () => {
    const { uow, log } = fresh()
    const [warned] = uow.run(() => log.evaluate(portfolio(8_500, 1), limits))
    expect([warned?.id, warned?.type, warned?.severity, warned?.details]).toEqual(['risk_t1', 'exposure_warning', 'medium', { used: 8_500, limit: 10_000, usage: 0.85 }])
    const [escalated] = uow.run(() => log.evaluate(portfolio(9_600, 2), limits))
    expect([escalated?.id, escalated?.severity]).toEqual(['risk_t1', 'high'])
    expect(uow.run(() => log.evaluate(portfolio(9_700, 3), limits))).toEqual([])
    const [resolved] = uow.run(() => log.evaluate(portfolio(1_000, 4), limits))
    expect([resolved?.id, resolved?.resolved, resolved?.resolvedAt]).toEqual(['risk_t1', true, 4])
    expect(log.list('acc_1').map((e) => [e.id, e.severity, e.resolved])).toEqual([['risk_t1', 'high', true]])
  })

  it('a rollback evicts the cached open events, so nothing phantom survives', () => {
    const { uow, log } = fresh()
    expect(() =>
      uow.run(() => {
        log.evaluate(portfolio(8_500, 1), limits)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(log.list('acc_1')).toEqual([])
    expect(uow.run(() => log.evaluate(portfolio(8_500, 2), limits)).map((r) => r.type)).toEqual(['exposure_warning'])
  })

  it('records denials by subject, lists with filters newest first, publishes the contract view', () => {
    const { uow, log, published } = fresh()
    const denied = uow.run(() => log.recordDenial('acc_1', new DomainError('DAILY_LOSS_LIMIT_EXCEEDED', 'no', { limit: 1 }), 'BTCUSDT'))
    expect([denied.subject, denied.severity, denied.details]).toEqual(['daily_loss', 'critical', { code: 'DAILY_LOSS_LIMIT_EXCEEDED', limit: 1 }])
    uow.run(() => log.recordDenial('acc_1', new DomainError('INSUFFICIENT_BALANCE', 'no', {}), undefined))
    expect(log.list('acc_1').map((e) => e.severity)).toEqual(['high', 'critical'])
    expect(log.list('acc_1', { severity: 'critical' })).toHaveLength(1)
    expect(log.list('acc_1', { limit: 1 })).toHaveLength(1)
    expect(log.list('acc_1', { resolved: true })).toEqual([])
    log.publish(denied, 'alice')
    expect(published).toHaveLength(1)
    expect(published[0]).toMatchObject({ kind: 'risk_event', accountId: 'acc_1', userId: 'alice', symbol: 'BTCUSDT', data: { id: denied.id, resolved_at: null } })
  })
})
