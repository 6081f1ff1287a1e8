/** Source of time for every engine, so a test or a backtest replays exactly. Epoch milliseconds. */
export interface Clock {
  now(): number
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t
  }
  set(t: number): void {
    this.t = t
  }
  advance(ms: number): void {
    this.t += ms
  }
}
