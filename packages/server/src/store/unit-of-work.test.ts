import { describe, expect, it } from 'vitest'
import { openDatabase } from './database'
import { unitOfWork } from './unit-of-work'

const fresh = () => {
  const db = openDatabase(':memory:')
  db.$client.exec('CREATE TABLE t (x INTEGER NOT NULL)')
  return { db, uow: unitOfWork(db) }
}
const count = (db: ReturnType<typeof openDatabase>) => (db.$client.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n

describe('unit of work', () => {
  it('a rollback runs the undos in reverse order and stores nothing', () => {
    const { db, uow } = fresh()
    const cache: number[] = [0]
    expect(() =>
      uow.run(() => {
        db.$client.exec('INSERT INTO t VALUES (1)')
        cache.push(1)
        uow.onRollback(() => cache.pop())
        cache.push(2)
        uow.onRollback(() => cache.pop())
        expect(uow.active).toBe(true)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(cache).toEqual([0])
    expect(count(db)).toBe(0)
    expect(uow.active).toBe(false)
  })

  it('a commit keeps the changes and forgets the undos', () => {
    const { db, uow } = fresh()
    let undone = 0
    uow.run(() => {
      db.$client.exec('INSERT INTO t VALUES (1)')
      uow.onRollback(() => undone++)
    })
    expect(() => uow.run(() => { throw new Error('next') })).toThrow('next')
    expect(undone).toBe(0)
    expect(count(db)).toBe(1)
  })

  it('a nested unit that commits hands its undos to the enclosing one, which may still roll back', () => {
    const { db, uow } = fresh()
    const undone: string[] = []
    expect(() =>
      uow.run(() => {
        uow.run(() => {
          db.$client.exec('INSERT INTO t VALUES (1)')
          uow.onRollback(() => undone.push('inner'))
        })
        uow.onRollback(() => undone.push('outer'))
        throw new Error('late')
      }),
    ).toThrow('late')
    expect(undone).toEqual(['outer', 'inner'])
    expect(count(db)).toBe(0)
  })

  it('a nested unit that fails undoes only its own changes', () => {
    const { db, uow } = fresh()
    const undone: string[] = []
    uow.run(() => {
      db.$client.exec('INSERT INTO t VALUES (1)')
      uow.onRollback(() => undone.push('outer'))
      expect(() =>
        uow.run(() => {
          db.$client.exec('INSERT INTO t VALUES (2)')
          uow.onRollback(() => undone.push('inner'))
          throw new Error('inner')
        }),
      ).toThrow('inner')
    })
    expect(undone).toEqual(['inner'])
    expect(count(db)).toBe(1)
  })

  it('outside a transaction an undo is ignored', () => {
    const { uow } = fresh()
    let undone = 0
    uow.onRollback(() => undone++)
    expect(() => uow.run(() => { throw new Error('x') })).toThrow('x')
    expect(undone).toBe(0)
  })
})

describe('after commit', () => {
  it('runs once the outermost transaction commits, in order; at once outside one', () => {
    const { db, uow } = fresh()
    const seen: string[] = []
    uow.afterCommit(() => seen.push('now'))
    uow.run(() => {
      uow.afterCommit(() => seen.push('outer'))
      uow.run(() => {
        db.$client.exec('INSERT INTO t VALUES (1)')
        uow.afterCommit(() => seen.push('inner'))
      })
      expect(seen).toEqual(['now'])
    })
    expect(seen).toEqual(['now', 'outer', 'inner'])
  })

  it('is dropped with a rolled-back savepoint, and with a rolled-back outer transaction', () => {
    const { db, uow } = fresh()
    const seen: string[] = []
    uow.run(() => {
      uow.afterCommit(() => seen.push('kept'))
      expect(() =>
        uow.run(() => {
          uow.afterCommit(() => seen.push('failed savepoint'))
          throw new Error('inner')
        }),
      ).toThrow('inner')
    })
    expect(() =>
      uow.run(() => {
        uow.run(() => uow.afterCommit(() => seen.push('committed savepoint of a failed transaction')))
        db.$client.exec('INSERT INTO t VALUES (1)')
        throw new Error('outer')
      }),
    ).toThrow('outer')
    expect(seen).toEqual(['kept'])
    expect(count(db)).toBe(0)
  })
})
