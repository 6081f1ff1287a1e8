// The run: tokens from the keys, then every selected operation with its cases (the contract's
// examples, seeded valid inputs, invalid inputs, missing and narrow tokens), stateful links, the
// WebSocket protocol, and the operations that change the server's state last.
import { checkResponse, type Expectation, type Problem } from './checks/response'
import { loadBundledDocuments, type ContractDocuments, type Json } from './documents'
import { HttpClient, type Exchange, type HttpRequest } from './http'
import { bearerScopes, isPublic, listOperations, type Operation, type Parameter } from './operations'
import { createRng, type Rng } from './rng'
import { exampleOf, generateValid, resolveSchema } from './schema/generate'
import { invalidBodies, invalidParameterValues } from './schema/invalid'
import { ContractValidator } from './schema/validator'
import type { CaseResult } from './results'
import { LAST, LAST_REASON } from './policy'

export interface RunOptions {
  /** `http://host:8000`. */
  baseUrl: string
  /** API key for `POST /v1/auth/generate-token` (the user token: every scope but admin_full). */
  apiKey?: string
  /** Admin API key: an admin_full token for the admin operations (skipped without it). */
  adminKey?: string
  /** The user the API key belongs to (a key issues tokens for its own user only). Default `demo`. */
  userId?: string
  /** Or tokens directly (e.g. issued with limits off): used instead of the keys. */
  token?: string
  adminToken?: string
  /** Only operations with these tags. */
  only?: string[]
  /** Seed of the generated inputs. Default 1. */
  seed?: number
  /** Generated valid inputs per operation. Default 2. */
  validCases?: number
  /** Only GET operations (a read-only run against a shared server). */
  readOnly?: boolean
  /** The documents to check against; default the ones shipped in the package. */
  documents?: ContractDocuments
  /** Progress lines. */
  log?: (line: string) => void
  /** Longest Retry-After waited before a 429 is reported. Default 65 s. */
  maxRetryWaitSeconds?: number
}

export const ADMIN_SCOPE = 'admin_full'
const DOMAIN_4XX = [400, 404, 409, 422]
const INVALID_4XX = [400, 404, 422]

export interface PlannedCase {
  name: string
  request: HttpRequest
  expected: Expectation
  /** Extra checks of the exchange (stateful links). */
  check?: (ex: Exchange) => Problem[]
}

export class Runner {
  readonly doc: Json
  readonly asyncapi: Json
  readonly validator: ContractValidator
  readonly http: HttpClient
  readonly rng: Rng
  readonly operations: Operation[]
  readonly results: CaseResult[] = []
  /** Path parameter values known to exist (`symbol`, `order_id`, …), filled by the setup. */
  readonly ids: Record<string, string> = {}
  /** Quantity of the link orders (a few times the symbol's minimum notional). */
  linkQuantity?: number
  tokens: { user?: string; admin?: string; refresh?: string; narrow?: string; userScopes: string[] } = { userScopes: [] }
  requests = 0
  rateLimitWaits = 0
  rateLimitWaitSeconds = 0

  constructor(readonly options: RunOptions) {
    const docs = options.documents ?? loadBundledDocuments()
    this.doc = docs.openapi
    this.asyncapi = docs.asyncapi
    this.validator = new ContractValidator(this.doc)
    this.rng = createRng(options.seed ?? 1)
    this.http = new HttpClient(options.baseUrl, {
      maxRetryWaitSeconds: options.maxRetryWaitSeconds,
      onRateLimited: (s, req) => {
        this.rateLimitWaits++
        this.rateLimitWaitSeconds += s
        this.log(`  429 on ${req.method} ${req.path}: waiting ${s}s (Retry-After)`)
      },
    })
    this.operations = listOperations(this.doc)
  }

  log(line: string): void {
    this.options.log?.(line)
  }

  selected(op: Operation): boolean {
    return this.wants(op.tag)
  }

  /** Whether a tag is part of this run (--only). */
  wants(tag: string): boolean {
    return !this.options.only?.length || this.options.only.includes(tag)
  }

  op(method: string, path: string): Operation {
    const found = this.operations.find((o) => o.method === method && o.path === path)
    if (!found) throw new Error(`the contract has no operation ${method.toUpperCase()} ${path}`)
    return found
  }

  /** Statuses of `candidates` that the operation declares. */
  documented(op: Operation, candidates: number[]): number[] {
    return candidates.filter((s) => op.responses[String(s)] !== undefined)
  }

  successStatuses(op: Operation): number[] {
    return Object.keys(op.responses)
      .map(Number)
      .filter((s) => s >= 200 && s < 300)
  }

  expectSuccess(op: Operation): Expectation {
    const s = this.successStatuses(op)
    return { statuses: s, describe: s.join(' or ') }
  }

  expectDomain(op: Operation): Expectation {
    // An API key issues tokens for its own user and scopes only: other generated users are a 403.
    const domain = op.security.some((s) => 'apiKeyAuth' in s) ? [...DOMAIN_4XX, 403] : DOMAIN_4XX
    const s = [...this.successStatuses(op), ...this.documented(op, domain)]
    return { statuses: s, describe: `a documented 2xx or ${this.documented(op, domain).join('/')}` }
  }

  expectInvalid(op: Operation): Expectation {
    const s = this.documented(op, INVALID_4XX)
    return { statuses: s, describe: `a documented 4xx (${s.join('/')})` }
  }

  /** The token an operation needs, or why it cannot be called. */
  tokenFor(op: Operation): { token?: string; headers?: Record<string, string>; skip?: string } {
    if (op.security.some((s) => 'apiKeyAuth' in s)) {
      if (this.options.apiKey) return { headers: { 'X-API-Key': this.options.apiKey } }
      if (this.tokens.admin) return { token: this.tokens.admin }
      return { skip: 'needs --api-key' }
    }
    if (op.security.some((s) => 'refreshToken' in s)) return this.tokens.refresh ? { token: this.tokens.refresh } : { skip: 'no refresh token (tokens were given, not keys)' }
    if (isPublic(op)) return {}
    const scopes = bearerScopes(op) ?? []
    if (scopes.every((s) => this.tokens.userScopes.includes(s)) && this.tokens.user) return { token: this.tokens.user }
    if (this.tokens.admin) return { token: this.tokens.admin }
    return { skip: scopes.includes(ADMIN_SCOPE) ? 'needs --admin-key (admin_full)' : `no token with ${scopes.join(', ')}` }
  }

  /** A path parameter's value: a known id, else the contract's example (then a 404 is fine). */
  pathValue(op: Operation, p: Parameter): { value: string; known: boolean } {
    const known = this.ids[`${op.path}:${p.name}`] ?? this.ids[p.name]
    if (known !== undefined) return { value: known, known: true }
    const ex = p.example ?? exampleOf(this.doc, p.schema)
    return { value: ex === undefined ? 'example' : String(ex), known: false }
  }

  fillPath(op: Operation, values: Record<string, string>): string {
    return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''))
  }

  /** Record one case: send it, check the response, keep the result. */
  async run(op: Operation, c: PlannedCase): Promise<Exchange | undefined> {
    const started = performance.now()
    let ex: Exchange | undefined
    let problems: Problem[]
    try {
      ex = await this.http.send(c.request)
      this.requests += 1 + ex.rateLimited
      problems = checkResponse(this.doc, this.validator, op, ex, c.expected)
      if (c.check && problems.length === 0) problems.push(...c.check(ex))
    } catch (e) {
      problems = [{ message: `request failed: ${(e as Error).message}` }]
    }
    // A documented 503 (a model not trained yet, …) is the server's honest state, not a failure;
    // the case cannot say more, so it is listed as skipped with the server's reason.
    let skipReason: string | undefined
    if (ex?.status === 503 && !c.expected.statuses.includes(503) && op.responses['503'] && problems.every((p) => /^(status 503|server error 503)/.test(p.message))) {
      const e = (ex.json as Json | undefined)?.error
      skipReason = `answered its documented 503 (${e?.code ?? 'no code'}: ${String(e?.message ?? '').slice(0, 120)})`
      problems = []
    }
    const result: CaseResult = {
      tag: op.tag,
      operation: op.label,
      operationId: op.id,
      name: c.name,
      status: problems.length ? 'failed' : skipReason ? 'skipped' : 'passed',
      durationMs: performance.now() - started,
    }
    if (ex) result.httpStatus = ex.status
    if (skipReason) result.skipReason = skipReason
    if (problems.length) {
      result.problems = problems
      result.request = ex?.request ?? { method: c.request.method.toUpperCase(), url: this.http.urlOf(c.request), body: c.request.body === undefined ? undefined : JSON.stringify(c.request.body) }
      if (ex) result.response = { status: ex.status, headers: headersOf(ex.headers), body: ex.text.slice(0, 2000) }
      this.log(`  FAIL ${op.label} [${c.name}]: ${problems[0]!.message}${problems[0]!.schemaPath ? ` at ${problems[0]!.schemaPath}` : ''}`)
    }
    this.results.push(result)
    return ex
  }

  skip(op: Pick<Operation, 'tag' | 'label' | 'id'>, name: string, reason: string): void {
    this.results.push({ tag: op.tag, operation: op.label, operationId: op.id, name, status: 'skipped', durationMs: 0, skipReason: reason })
  }

  /** Query parameters for a case: required ones always, optional ones as `pick` says. */
  private query(op: Operation, value: (p: Parameter) => unknown | undefined): Record<string, string> {
    const q: Record<string, string> = {}
    for (const p of op.parameters) {
      if (p.in !== 'query') continue
      const v = value(p)
      if (v !== undefined && v !== null) q[p.name] = String(v)
    }
    return q
  }

  /**
   * Random symbols are almost all unknown to the server: most of the time a generated `symbol`
   * (parameter or body field) is the run's known symbol, so valid inputs reach the handler's logic.
   */
  withKnownValues(name: string, value: unknown): unknown {
    const symbol = this.ids.symbol
    if (!symbol || !this.rng.chance(0.7)) return value
    if (name === 'symbol' && typeof value === 'string') return symbol
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const out = { ...(value as Json) }
      if (typeof out.symbol === 'string') out.symbol = symbol
      if (Array.isArray(out.symbols) && out.symbols.every((x: unknown) => typeof x === 'string')) out.symbols = [symbol]
      return out
    }
    return value
  }

  /** A generated value that the schema accepts (a few tries), else undefined. */
  validValue(key: string, schema: Json): unknown {
    for (let i = 0; i < 10; i++) {
      const v = generateValid(this.doc, schema, this.rng)
      if (v !== undefined && this.validator.matches(key, schema, v)) return v
    }
    return undefined
  }

  /** The cases of one operation, from the contract alone. */
  planCases(op: Operation, options: { generated?: boolean; invalid?: boolean; exampleBody?: unknown } = {}): PlannedCase[] {
    const auth = this.tokenFor(op)
    const cases: PlannedCase[] = []
    const pathValues: Record<string, string> = {}
    let allKnown = true
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const { value, known } = this.pathValue(op, p)
      pathValues[p.name] = value
      allKnown &&= known
    }
    const base = { method: op.method.toUpperCase(), token: auth.token, headers: auth.headers }
    const path = this.fillPath(op, pathValues)
    // The contract's example: required parameters and those with an example.
    const exampleQuery = this.query(op, (p) => {
      const known = this.ids[`${op.path}:${p.name}`]
      if (known !== undefined) return known
      const ex = p.example ?? resolveSchema(this.doc, p.schema).example
      return p.required ? (ex ?? exampleOf(this.doc, p.schema)) : ex
    })
    const exampleBody = op.body ? (options.exampleBody ?? op.body.example ?? exampleOf(this.doc, op.body.schema)) : undefined
    let expected = op.method === 'get' && allKnown ? this.expectSuccess(op) : this.expectDomain(op)
    if (!allKnown && op.method === 'get') expected = { statuses: [...this.successStatuses(op), ...this.documented(op, [404])], describe: 'a documented 2xx or 404 (the example id may not exist)' }
    cases.push({ name: 'example', request: { ...base, path, query: exampleQuery, body: exampleBody }, expected })

    if (options.generated !== false) {
      const hasInputs = op.parameters.some((p) => p.in === 'query') || op.body
      const n = hasInputs ? (this.options.validCases ?? 2) : 0
      for (let i = 1; i <= n; i++) {
        const q = this.query(op, (p) => {
          if (!p.required && !this.rng.chance(0.5)) return undefined
          return this.withKnownValues(p.name, this.validValue(`${op.label}#${p.name}`, p.schema))
        })
        let body: unknown
        if (op.body) {
          body = this.withKnownValues('', this.validValue(`${op.label}#body`, op.body.schema))
          if (body !== undefined && !this.validator.matches(`${op.label}#body`, op.body.schema, body)) body = this.validValue(`${op.label}#body`, op.body.schema)
          if (body === undefined) {
            this.skip(op, `valid #${i}`, 'no generated body matched the schema')
            continue
          }
        }
        cases.push({ name: `valid #${i}`, request: { ...base, path, query: q, body }, expected: this.expectDomain(op) })
      }
    }

    if (options.invalid !== false) {
      const invalid = this.expectInvalid(op)
      if (invalid.statuses.length) {
        for (const p of op.parameters) {
          if (p.in === 'query') {
            for (const v of invalidParameterValues(this.doc, p.schema)) {
              if (!this.rejects(`${op.label}#${p.name}`, p.schema, v.value)) continue
              cases.push({ name: `invalid: query ${p.name} ${v.label}`, request: { ...base, path, query: { ...exampleQuery, [p.name]: String(v.value) }, body: exampleBody }, expected: invalid })
            }
          } else if (p.in === 'path') {
            const schema = resolveSchema(this.doc, p.schema)
            if (typeof schema.pattern === 'string' || Array.isArray(schema.enum)) {
              const bad = 'bad value!'
              if (this.rejects(`${op.label}#${p.name}`, p.schema, bad))
                cases.push({ name: `invalid: path ${p.name} not matching its schema`, request: { ...base, path: this.fillPath(op, { ...pathValues, [p.name]: bad }), query: exampleQuery, body: exampleBody }, expected: invalid })
            }
          }
        }
        if (op.body) {
          for (const v of invalidBodies(this.doc, op.body.schema, exampleBody)) {
            if (!this.rejects(`${op.label}#body`, op.body.schema, v.value)) continue
            cases.push({ name: `invalid: ${v.label}`, request: { ...base, path, query: exampleQuery, body: v.value }, expected: invalid })
          }
          const unsupported = this.documented(op, [415])
          if (unsupported.length)
            cases.push({ name: 'invalid: body as text/plain', request: { ...base, path, query: exampleQuery, rawBody: { text: JSON.stringify(exampleBody ?? {}), contentType: 'text/plain' } }, expected: { statuses: unsupported, describe: '415' } })
        }
      }
    }

    // Authentication and authorisation: no token → 401; a token without the scope → 403.
    if (!isPublic(op) && this.documented(op, [401]).length)
      cases.push({ name: 'no token', request: { method: base.method, path, query: exampleQuery, body: exampleBody }, expected: { statuses: [401], describe: '401' } })
    const scopes = bearerScopes(op)
    if (scopes?.length && this.tokens.narrow && !scopes.includes('read_market_data') && this.documented(op, [403]).length)
      cases.push({ name: `token without ${scopes.join(', ')}`, request: { method: base.method, path, query: exampleQuery, body: exampleBody, token: this.tokens.narrow }, expected: { statuses: [403], describe: '403' } })
    return cases
  }

  /** True when the schema rejects the value (string query values compared as the server parses them). */
  rejects(key: string, schema: Json, value: unknown): boolean {
    const s = resolveSchema(this.doc, schema)
    const types = Array.isArray(s.type) ? s.type : [s.type]
    let v = value
    if (typeof v === 'string' && (types.includes('integer') || types.includes('number')) && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v)
    if (typeof v === 'string' && types.includes('boolean') && (v === 'true' || v === 'false')) v = v === 'true'
    return !this.validator.matches(key, schema, v)
  }

  /** Example bodies that need what the run knows (the API key's user, an existing preset, a backtest in range). */
  readonly exampleBodies: Record<string, () => unknown> = {
    'POST /v1/auth/generate-token': () => ({ user_id: this.options.userId ?? 'demo', permissions: ['read_market_data'] }),
    'POST /api/auth/generate-token': () => ({ user_id: this.options.userId ?? 'demo', permissions: ['read_market_data'] }),
    'POST /v1/engine/start': () => (this.ids.preset ? { preset: this.ids.preset } : undefined),
  }

  async runOperation(op: Operation): Promise<void> {
    if (this.options.readOnly && op.method !== 'get') {
      this.skip(op, 'all cases', '--read-only')
      return
    }
    const auth = this.tokenFor(op)
    if (auth.skip) {
      this.skip(op, 'all cases', auth.skip)
      return
    }
    const last = LAST.includes(op.label)
    if (last && (op.body || op.parameters.some((p) => p.in === 'query'))) this.skip(op, 'valid (generated)', LAST_REASON)
    const cases = this.planCases(op, { generated: !last, exampleBody: this.exampleBodies[op.label]?.() })
    const refresh = op.security.some((s) => 'refreshToken' in s)
    for (const c of cases) {
      // A refresh token is single use (and reusing one revokes its family): a fresh one per case.
      if (refresh && c.request.token) c.request.token = (await this.freshRefreshToken()) ?? c.request.token
      await this.run(op, c)
    }
    if (op.label === 'POST /v1/admin/emergency-stop' || op.label === 'POST /v1/admin/pause') await this.restoreTrading()
  }

  /** A new refresh token from the API key (not a case: the issuing is checked elsewhere). */
  async freshRefreshToken(): Promise<string | undefined> {
    if (!this.options.apiKey) return undefined
    const ex = await this.http.send({ method: 'POST', path: '/v1/auth/generate-token', headers: { 'X-API-Key': this.options.apiKey }, body: { user_id: this.options.userId ?? 'demo', permissions: ['read_market_data'] } })
    this.requests++
    return (ex.json as Json | undefined)?.refresh_token
  }

  /** After a pause or the emergency stop, trading resumes, so the server is left as found. */
  async restoreTrading(): Promise<void> {
    if (!this.tokens.admin) return
    await this.http.send({ method: 'POST', path: '/v1/admin/resume', token: this.tokens.admin, body: {} })
    this.requests++
  }

  /** The API key's user (a key issues tokens for its own user only). */
  get userId(): string {
    return this.options.userId ?? 'demo'
  }

  async authenticate(): Promise<void> {
    const o = this.options
    const allScopes = new Set<string>()
    for (const op of this.operations) for (const s of bearerScopes(op) ?? []) allScopes.add(s)
    const userScopes = [...allScopes].filter((s) => s !== ADMIN_SCOPE)
    if (o.token) {
      this.tokens = { ...this.tokens, user: o.token, userScopes }
    } else if (o.apiKey) {
      const user = o.userId ?? 'demo'
      const pair = await this.issue(o.apiKey, user, userScopes)
      if (pair) this.tokens = { ...this.tokens, user: pair.token, refresh: pair.refresh_token, userScopes }
      const narrow = await this.issue(o.apiKey, user, ['read_market_data'])
      if (narrow) this.tokens.narrow = narrow.token
    }
    if (o.adminToken) this.tokens.admin = o.adminToken
    else if (o.adminKey) {
      const pair = await this.issue(o.adminKey, 'contract-test-admin', [ADMIN_SCOPE])
      if (pair) this.tokens.admin = pair.token
    }
  }

  /** A token pair from an API key, recorded as a case of the auth operation. */
  private async issue(apiKey: string, userId: string, permissions: string[]): Promise<{ token: string; refresh_token: string } | undefined> {
    const op = this.op('post', '/v1/auth/generate-token')
    const ex = await this.run(op, {
      name: `issue a token (${permissions.join(', ')})`,
      request: { method: 'POST', path: op.path, headers: { 'X-API-Key': apiKey }, body: { user_id: userId, permissions } },
      expected: this.expectSuccess(op),
    })
    const body = ex?.json as Json | undefined
    return ex && ex.status < 300 && typeof body?.token === 'string' ? (body as { token: string; refresh_token: string }) : undefined
  }
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  h.forEach((v, k) => {
    out[k] = v
  })
  return out
}
