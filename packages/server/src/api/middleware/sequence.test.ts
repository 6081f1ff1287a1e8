import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { sequence } from './sequence'

describe('sequence', () => {
  it('runs the steps in order around the route, and a throw reaches onError', async () => {
    const seen: string[] = []
    const app = new Hono()
    app.onError((err, c) => c.text(`error: ${err.message}`, 400))
    app.use(
      '*',
      sequence(
        async (c, next) => {
          seen.push('a')
          await next()
          seen.push('a after')
        },
        (c, next) => {
          seen.push('b')
          if (c.req.query('fail')) throw new Error('refused by b')
          return next()
        },
      ),
    )
    app.get('/x', (c) => {
      seen.push('route')
      return c.text('ok')
    })
    const ok = await app.request('/x')
    expect(await ok.text()).toBe('ok')
    expect(seen).toEqual(['a', 'b', 'route', 'a after'])
    seen.length = 0
    const refused = await app.request('/x?fail=1')
    expect(refused.status).toBe(400)
    expect(await refused.text()).toBe('error: refused by b')
    expect(seen).toEqual(['a', 'b'])
  })

  it('a step may answer itself without calling next', async () => {
    const app = new Hono()
    app.use('*', sequence((c) => Promise.resolve(c.text('short', 202))))
    app.get('/x', (c) => c.text('route'))
    const res = await app.request('/x')
    expect(res.status).toBe(202)
    expect(await res.text()).toBe('short')
  })
})
