import type { Statement } from 'better-sqlite3'
import type { Db } from '../database'

/** Whether the store answers (the health check's database component). */
export interface HealthRepository {
  /** Run a trivial query; throws when the store cannot answer. */
  ping(): void
}

export class SqliteHealthRepository implements HealthRepository {
  // Prepared once per connection: health is polled often.
  private client?: Db['$client']
  private statement?: Statement

  constructor(private readonly db: Db) {}

  ping(): void {
    const client = this.db.$client
    if (client !== this.client || !this.statement) {
      this.statement = client.prepare('select 1')
      this.client = client
    }
    this.statement.get()
  }
}
