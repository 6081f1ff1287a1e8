import { describe, expect, it } from 'vitest'
import { ManualClock } from '../core'
import { openDatabase, SqliteStreamEventRepository } from '../store'
import { EventJournal } from './journal'

function journal(maxEvents = 3, maxAgeMs = 60_000) {
  const clock = new ManualClock(1_000_000)
  const db = openDatabase(':memory:')
  return { clock, db, j: new EventJournal(new SqliteStreamEventRepository(db), clock, 'abc123', maxEvents, maxAgeMs) }
}
const add = (j: EventJournal, at: number, userId = 'u1') => j.append({ userId, kind: 'trade_update', data: '{}', at })
const rows = (db: ReturnType<typeof openDatabase>) => db.$client.prepare('SELECT user_id, seq FROM stream_events ORDER BY user_id, seq').all()

describe('EventJournal', () => {
  it('writes in batches: nothing before the turn ends, everything after it, and reads see queued entries', async () => {
    const { db, j, clock } = journal()
    add(j, clock.now())
    add(j, clock.now())
    expect(rows(db)).toEqual([])
    expect(j.after('u1', 'evt_abc123_1')).toMatchObject({ ok: true, events: [{ seq: 2 }] })
    expect(rows(db)).toHaveLength(2)
    add(j, clock.now())
    await new Promise((r) => setImmediate(r))
    expect(rows(db)).toHaveLength(3)
  })

  it('numbers events per user and keeps only the last maxEvents of each', () => {
    const { db, j, clock } = journal()
    for (let i = 0; i < 5; i++) add(j, clock.now())
    add(j, clock.now(), 'u2')
    j.flush()
    expect(rows(db)).toEqual([
      { user_id: 'u1', seq: 3 },
      { user_id: 'u1', seq: 4 },
      { user_id: 'u1', seq: 5 },
      { user_id: 'u2', seq: 1 },
    ])
    expect(j.latestId('u1')).toBe('evt_abc123_5')
    expect(j.after('u1', 'evt_abc123_2')).toMatchObject({ ok: true, events: [{ seq: 3 }, { seq: 4 }, { seq: 5 }] })
    expect(j.after('u1', 'evt_abc123_1')).toEqual({ ok: false, reason: 'events_expired', oldestAvailable: 'evt_abc123_3' })
    expect(j.after('u1', 'evt_abc123_5')).toEqual({ ok: true, events: [] })
    expect(j.after('u1', 'evt_abc123_6')).toEqual({ ok: false, reason: 'unknown_event_id' })
    expect(j.after('u1', 'evt_zzz_1')).toEqual({ ok: false, reason: 'unknown_event_id' })
  })

  it('expires by age but keeps each user’s newest entry, so numbering never restarts after a restart', () => {
    const { db, j, clock } = journal(100, 60_000)
    add(j, clock.now())
    add(j, clock.now())
    clock.advance(61_000)
    j.prune()
    expect(rows(db)).toEqual([{ user_id: 'u1', seq: 2 }])
    expect(j.after('u1', 'evt_abc123_1')).toEqual({ ok: false, reason: 'events_expired', oldestAvailable: undefined })
    // A new journal on the same store (a restarted server) continues the numbering.
    const again = new EventJournal(new SqliteStreamEventRepository(db), clock, 'abc123', 100, 60_000)
    expect(add(again, clock.now()).id).toBe('evt_abc123_3')
    expect(again.after('u1', 'evt_abc123_2')).toMatchObject({ ok: true, events: [{ seq: 3 }] })
  })

  it('hands entries on only once stored, so ids lost in a crash were never given to anyone', async () => {
    const { db, clock } = journal(100)
    const given: string[] = []
    const j = new EventJournal(new SqliteStreamEventRepository(db), clock, 'abc123', 100, 60_000, undefined, (batch) => given.push(...batch.map((e) => e.id)))
    add(j, clock.now())
    add(j, clock.now())
    expect(given).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(given).toEqual(['evt_abc123_1', 'evt_abc123_2'])
    expect(rows(db)).toHaveLength(2)
    // The process dies before this one's turn ends: it never reached the store, nor any client…
    expect(add(j, clock.now()).id).toBe('evt_abc123_3')
    expect(given).toHaveLength(2)
    // …so the restarted server may number its next event 3 without anyone mistaking one for the other.
    const restarted = new EventJournal(new SqliteStreamEventRepository(db), clock, 'abc123', 100, 60_000)
    expect(add(restarted, clock.now()).id).toBe('evt_abc123_3')
  })

  it('a failed write still hands the batch on (live delivery) and reports the error', async () => {
    const { db, clock } = journal(100)
    const given: string[] = []
    const errors: unknown[] = []
    const j = new EventJournal(new SqliteStreamEventRepository(db), clock, 'abc123', 100, 60_000, (e) => errors.push(e), (batch) => given.push(...batch.map((e) => e.id)))
    add(j, clock.now())
    db.$client.exec('DROP TABLE stream_events')
    await new Promise((r) => setImmediate(r))
    expect(errors).toHaveLength(1)
    expect(given).toEqual(['evt_abc123_1'])
  })
})
