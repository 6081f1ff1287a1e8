import { SMCStreamError } from './errors'

/**
 * The buffer behind an async iterator of the stream: frames wait here until the loop asks for
 * them. Bounded: a consumer that falls `max` frames behind gets an OVERFLOW error instead of a
 * silently growing process.
 */
export class FrameQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = []
  private head = 0
  private readonly waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = []
  private done = false
  private failure?: unknown

  constructor(
    private readonly max: number,
    private readonly accept: (item: T) => boolean,
    private readonly onEnd: () => void,
  ) {}

  push(item: T): void {
    if (this.done || !this.accept(item)) return
    const w = this.waiters.shift()
    if (w) return w.resolve({ value: item, done: false })
    this.items.push(item)
    if (this.items.length - this.head > this.max)
      this.end(new SMCStreamError('OVERFLOW', `The consumer fell more than ${this.max} messages behind; the iterator was stopped`, { max: this.max }))
  }

  /** Finish the iteration; with an error, the next `next()` rejects with it (buffered frames are dropped). */
  end(error?: unknown): void {
    if (this.done) return
    this.done = true
    if (error !== undefined) {
      this.items = []
      this.head = 0
      this.failure = error
    }
    for (const w of this.waiters.splice(0)) {
      if (this.failure === undefined) w.resolve({ value: undefined, done: true })
      else {
        w.reject(this.failure)
        this.failure = undefined
      }
    }
    this.onEnd()
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++]!
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head)
        this.head = 0
      }
      return Promise.resolve({ value, done: false })
    }
    if (this.done) {
      if (this.failure !== undefined) {
        const f = this.failure
        this.failure = undefined
        return Promise.reject(f)
      }
      return Promise.resolve({ value: undefined, done: true })
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  return(): Promise<IteratorResult<T>> {
    this.end()
    return Promise.resolve({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this
  }
}
