import { transaction, type Db } from './database'

/**
 * One state change: its writes commit together or not at all, and every in-memory cache written
 * during it registers an undo, so a rollback leaves the caches exactly as the store is.
 */
export interface UnitOfWork {
  /** Run `fn` in one transaction; a nested call joins the enclosing one (as a savepoint). */
  run<T>(fn: () => T): T
  /**
   * Undo an in-memory change if the current transaction (or savepoint) rolls back; undos run in
   * reverse order of registration. Outside a transaction there is nothing to undo: ignored.
   */
  onRollback(undo: () => void): void
  /**
   * Run `fn` once the outermost transaction commits (dropped if it rolls back); outside a
   * transaction, at once. What must never be seen before its writes are durable (published events)
   * goes here, so a state change nested in a larger one publishes only when the whole commits.
   */
  afterCommit(fn: () => void): void
  /** Whether a transaction is open (a cache may then hold writes that are not committed yet). */
  readonly active: boolean
}

class SqliteUnitOfWork implements UnitOfWork {
  /** One frame per open transaction or savepoint, innermost last: its undos and its after-commit callbacks. */
  private readonly frames: { undo: (() => void)[]; after: (() => void)[] }[] = []

  constructor(private readonly db: Db) {}

  get active(): boolean {
    return this.frames.length > 0
  }

  run<T>(fn: () => T): T {
    const frame = { undo: [] as (() => void)[], after: [] as (() => void)[] }
    this.frames.push(frame)
    let result: T
    try {
      result = transaction(this.db, fn)
    } catch (err) {
      this.frames.pop()
      for (let i = frame.undo.length - 1; i >= 0; i--) frame.undo[i]!()
      throw err
    }
    this.frames.pop()
    const outer = this.frames.at(-1)
    if (outer) {
      // A committed savepoint's undos and callbacks still belong to the enclosing transaction.
      outer.undo.push(...frame.undo)
      outer.after.push(...frame.after)
    } else for (const f of frame.after) f()
    return result
  }

  onRollback(undo: () => void): void {
    this.frames.at(-1)?.undo.push(undo)
  }

  afterCommit(fn: () => void): void {
    const frame = this.frames.at(-1)
    if (frame) frame.after.push(fn)
    else fn()
  }
}

const units = new WeakMap<Db, UnitOfWork>()

/** The unit of work of a connection: one per database, shared by every service writing to it. */
export function unitOfWork(db: Db): UnitOfWork {
  let u = units.get(db)
  if (!u) units.set(db, (u = new SqliteUnitOfWork(db)))
  return u
}
