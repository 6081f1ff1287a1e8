import type { ScanResult } from './types'

/**
 * The last scan of each user, for `GET /v1/scanner/last`. In memory: a restart forgets it (a scan
 * is cheap to rerun, and its figures are only meaningful for the candles it saw). At most
 * `maxUsers` users are kept; the least recently written is forgotten first.
 */
export class ScanStore {
  private readonly last = new Map<string, ScanResult>()

  constructor(private readonly maxUsers = 10_000) {}

  /** Remember `result` as the user's last scan. */
  save(userId: string, result: ScanResult): void {
    this.last.delete(userId)
    this.last.set(userId, result)
    if (this.last.size > this.maxUsers) this.last.delete(this.last.keys().next().value!)
  }

  /** The user's last scan, or null when the user has not scanned since the server started. */
  get(userId: string): ScanResult | null {
    return this.last.get(userId) ?? null
  }
}
