import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCOPES } from '../../auth'
import { operations } from '../../generated'
import { createTestContext, type TestContext } from '../../testing'

// Every operation × every scope: a token with only that scope is refused with 403 exactly when the
// operation's bearer requirement names another scope; admin_full passes everything.
let ctx: TestContext
const tokens = new Map<string, string>()
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  for (const s of SCOPES) tokens.set(s, await ctx.token([s]))
})
afterAll(() => ctx.close())

const concretePath = (p: string): string =>
  p.replace('{symbol}', 'BTCUSDT').replace(/\{[a-z_]+\}/g, 'does_not_exist')

const bearerScopes = (security: readonly Readonly<Record<string, readonly string[]>>[]): readonly string[] | undefined =>
  security.find((alt) => 'bearerAuth' in alt)?.bearerAuth

describe('scope matrix', () => {
  for (const op of operations) {
    const needed = bearerScopes(op.security)
    if (op.security.length === 0) {
      it(`${op.operationId} is public`, async () => {
        const res = await ctx.call(op.method.toUpperCase(), concretePath(op.path))
        expect([401, 403]).not.toContain(res.status)
      })
      continue
    }
    if (!needed) continue
    it(`${op.operationId} without a token → 401`, async () => {
      const res = await ctx.call(op.method.toUpperCase(), concretePath(op.path), { headers: {} })
      expect(res.status).toBe(401)
      expect((await res.json()).error.code).toBe('AUTHENTICATION_FAILED')
    })
    for (const scope of SCOPES) {
      const allowed = scope === 'admin_full' || needed.every((n) => n === scope)
      it(`${op.operationId} with ${scope} → ${allowed ? 'allowed' : '403'}`, async () => {
        const res = await ctx.call(op.method.toUpperCase(), concretePath(op.path), { token: tokens.get(scope) })
        if (allowed) expect([401, 403]).not.toContain(res.status)
        else {
          expect(res.status).toBe(403)
          expect((await res.json()).error.code).toBe('INSUFFICIENT_PERMISSIONS')
        }
      })
    }
  }
})
