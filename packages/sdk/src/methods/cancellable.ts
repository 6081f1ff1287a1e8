/**
 * An async generator that can be ended at any moment. A plain async generator queues `return()`
 * (and so `break`) behind a pending `next()`, so a watch stuck in a wait or a request could not be
 * ended; here `return()` aborts the signal `run` was given — its waits and requests end at once —
 * and resolves once `run`'s `finally` has cleaned up. `signal` (the caller's) ends it the same way,
 * but the iteration then fails with the signal's reason, as `fetch` and Node's own APIs do.
 *
 * @example
 * const it = cancellable((signal) => pollForever(signal), options.signal)
 * setTimeout(() => void it.return(), 1000) // ends a pending `it.next()` with `{ done: true }`
 */
export function cancellable<T>(run: (signal: AbortSignal) => AsyncGenerator<T, void, undefined>, signal?: AbortSignal): AsyncGenerator<T, void, undefined> {
  const inner = new AbortController()
  const forward = (): void => inner.abort(signal!.reason)
  if (signal?.aborted) forward()
  else signal?.addEventListener('abort', forward, { once: true })
  const release = (): void => signal?.removeEventListener('abort', forward)
  const gen = run(inner.signal)
  const done: IteratorReturnResult<void> = { done: true, value: undefined }
  let ended = false

  const end = async (): Promise<void> => {
    if (!ended) {
      ended = true
      inner.abort(new DOMException('The iteration was ended', 'AbortError'))
    }
    release()
    // Waits for a pending step to unwind (the abort ends it) and for `run`'s `finally`.
    await gen.return(undefined).catch(() => {})
  }

  const it: AsyncGenerator<T, void, undefined> = {
    async next() {
      if (ended) return done
      try {
        const r = await gen.next()
        if (r.done) release()
        return r
      } catch (e) {
        release()
        // The abort `return()` caused is how it ends, not an error.
        if (ended && !signal?.aborted) return done
        throw e
      }
    },
    async return() {
      await end()
      return done
    },
    async throw(e: unknown) {
      await end()
      throw e
    },
    [Symbol.asyncIterator]() {
      return it
    },
  }
  return it
}

/**
 * Wait `ms`, or less: `wake` (given to `onWake`) ends the wait early, `signal` rejects it with its
 * reason. The timer and the listener are gone either way, so nothing keeps the process alive.
 *
 * @example
 * await pause(500, signal, (wake) => (wakeUp = wake))
 */
export function pause(ms: number, signal: AbortSignal, onWake: (wake: () => void) => void = () => {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const finish = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', aborted)
      resolve()
    }
    const aborted = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(finish, ms)
    signal.addEventListener('abort', aborted, { once: true })
    onWake(finish)
  })
}
