type AnyListener = (...args: unknown[]) => void

/** A minimal typed event emitter; a throwing listener is reported to `onListenerError`, never to the emitter. */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>()

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const l = listener as unknown as AnyListener
    set.add(l)
    return () => {
      set!.delete(l)
    }
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const l of [...set]) {
      try {
        l(...args)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }
}
