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
  /** Whether a transaction is open (a cache may then hold writes that are not committed yet). */
  readonly active: boolean
}

class SqliteUnitOfWork implements UnitOfWork {
  /** One frame of undos per open transaction or savepoint, innermost last. */
  private readonly frames: (() => void)[][] = []

  constructor(private readonly db: Db) {}

  get active(): boolean {
    return this.frames.length > 0
  }

  run<T>(fn: () => T): T {
    const frame: (() => void)[] = []
    this.frames.push(frame)
    let result: T
    try {
      result = transaction(this.db, fn)
    } catch (err) {
      this.frames.pop()
      for (let i = frame.length - 1; i >= 0; i--) frame[i]!()
      throw err
    }
    this.frames.pop()
    // A committed savepoint's undos still belong to the enclosing transaction.
    this.frames.at(-1)?.push(...frame)
    return result
  }

  onRollback(undo: () => void): void {
    this.frames.at(-1)?.push(undo)
  }
}

const units = new WeakMap<Db, UnitOfWork>()

/** The unit of work of a connection: one per database, shared by every service writing to it. */
export function unitOfWork(db: Db): UnitOfWork {
  let u = units.get(db)
  if (!u) units.set(db, (u = new SqliteUnitOfWork(db)))
  return u
}
