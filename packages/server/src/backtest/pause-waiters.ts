/**
 * A run's pause requests, waiting for the engine to report that it paused (or resumed, or ended
 * first): the executions API answers a pause once the run's records up to it are in the store.
 *
 * @example
 * const paused = new PauseWaiters()
 * const reply = paused.wait() // in the request
 * paused.settle()             // when the engine says it paused
 */
export class PauseWaiters {
  private waiting: (() => void)[] = []

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  settle(): void {
    const w = this.waiting
    this.waiting = []
    for (const f of w) f()
  }
}
