import type { Env, MiddlewareHandler, Next } from 'hono'

/**
 * Several middleware run as one step, each calling the next directly. hono's compose gives every
 * registered middleware an async dispatch frame and a promise per request; the request guards
 * (URL length, identification, rate limit, accepted request) only throw or call `next()`, so they
 * need none of it.
 */
export function sequence<E extends Env>(...steps: MiddlewareHandler<E>[]): MiddlewareHandler<E> {
  if (steps.length === 0) return (_c, next) => next()
  return steps
    .slice(0, -1)
    .reduceRight<MiddlewareHandler<E>>((inner, step) => (c, next) => step(c, (() => inner(c, next)) as Next), steps[steps.length - 1]!)
}
