import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DomainError, ManualClock } from '../../core'
import { closeDatabase, openDatabase, SqlitePresetRepository, type Db } from '../../store'
import { BUILTIN_PRESET_NAMES, BUILTIN_PRESETS, PresetService, parsePreset, withOverrides, type Preset } from '.'

const T0 = Date.parse('2026-01-05T00:00:00Z')
const dbs: Db[] = []
const dirs: string[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) closeDatabase(db)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
})

function service(db: Db = track(openDatabase(':memory:')), inUse?: (u: string, n: string) => boolean) {
  return new PresetService({ repository: new SqlitePresetRepository(db), clock: new ManualClock(T0), inUse })
}
const track = (db: Db): Db => (dbs.push(db), db)

/** A plain copy of a built-in body, without its name. */
function body(name = 'balanced'): Omit<Preset, 'name'> {
  const { name: _n, ...rest } = structuredClone(BUILTIN_PRESETS[name]!)
  return rest
}

/** The DomainError `fn` throws. */
function thrown(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError)
    return error as DomainError
  }
  throw new Error('expected a DomainError')
}

describe('parsePreset', () => {
  it('accepts every built-in and the seed names', () => {
    expect(BUILTIN_PRESET_NAMES).toEqual(expect.arrayContaining(['conservative', 'balanced', 'aggressive', 'breakout_v1', 'scalping_high_freq']))
    for (const name of BUILTIN_PRESET_NAMES) expect(parsePreset(body(name), name)).toEqual(BUILTIN_PRESETS[name])
  })

  it.each([
    ['risk.risk_per_trade', (b: any) => (b.risk.risk_per_trade = 0.2)],
    ['risk.risk_per_trade', (b: any) => (b.risk.risk_per_trade = 0)],
    ['risk.max_positions', (b: any) => (b.risk.max_positions = 1.5)],
    ['scanner.interval', (b: any) => (b.scanner.interval = '2h')],
    ['scanner.trend', (b: any) => (b.scanner.trend = 'sideways')],
    ['scanner.min_volume_ratio', (b: any) => (b.scanner.min_volume_ratio = -1)],
    ['scanner.max_atr_pct', (b: any) => (b.scanner.max_atr_pct = b.scanner.min_atr_pct / 2)],
    ['scanner.ema_slow', (b: any) => (b.scanner.ema_slow = b.scanner.ema_fast)],
    ['scanner.lookback', (b: any) => ((b.scanner.lookback = 30), (b.scanner.ema_slow = 40))],
    ['scanner.score_weights.trend', (b: any) => (b.scanner.score_weights.trend = '1')],
    ['scanner.score_weights', (b: any) => (b.scanner.score_weights = { volume: 0, breakout: 0, trend: 0 })],
    ['levels.cluster_pct', (b: any) => (b.levels.cluster_pct = 0)],
    ['levels.swing_lenght', (b: any) => (b.levels.swing_lenght = 3)],
    ['risk', (b: any) => delete b.risk],
  ])('refuses a bad %s with VALIDATION_FAILED naming the dotted field', (field, spoil) => {
    const b = body()
    spoil(b)
    const err = thrown(() => parsePreset(b, 'mine'))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.details.field).toBe(field)
    expect(err.message).toContain(field)
  })

  it('refuses a malformed name and a body naming another preset', () => {
    expect(thrown(() => parsePreset(body(), 'bad name!')).details.field).toBe('name')
    const err = thrown(() => parsePreset({ ...body(), name: 'other' }, 'mine'))
    expect(err.code).toBe('PRESET_MISMATCH')
    expect(parsePreset({ ...body(), name: 'mine' }, 'mine').name).toBe('mine')
  })

  it('applies partial overrides section by section, validated', () => {
    const base = BUILTIN_PRESETS.balanced!
    const p = withOverrides(base, { scanner: { min_volume_ratio: 3, score_weights: { trend: 0 } }, risk: { max_positions: 1 } })
    expect(p.scanner.min_volume_ratio).toBe(3)
    expect(p.scanner.score_weights).toEqual({ ...base.scanner.score_weights, trend: 0 })
    expect(p.scanner.interval).toBe(base.scanner.interval)
    expect(p.risk).toEqual({ ...base.risk, max_positions: 1 })
    expect(thrown(() => withOverrides(base, { risk: { risk_per_trade: 1 } })).details.field).toBe('risk.risk_per_trade')
  })

  it('built-ins are immutable', () => {
    expect(() => {
      ;(BUILTIN_PRESETS.balanced!.risk as { risk_per_trade: number }).risk_per_trade = 0.09
    }).toThrow(TypeError)
    expect(Object.isFrozen(BUILTIN_PRESETS.balanced!.scanner.score_weights)).toBe(true)
  })
})

describe('PresetService', () => {
  it('lists the built-ins, unmodified, for a new user', () => {
    const list = service().list('u1')
    expect(list.map((p) => p.name)).toEqual(BUILTIN_PRESET_NAMES)
    for (const p of list) expect(p).toMatchObject({ builtin: true, modified: false, updated_at: null })
  })

  it("user A's change of a built-in is invisible to user B", () => {
    const presets = service()
    const changed = body()
    changed.risk.risk_per_trade = 0.004
    const put = presets.put('alice', 'balanced', changed)
    expect(put).toMatchObject({ name: 'balanced', builtin: true, modified: true, risk: { risk_per_trade: 0.004 } })
    expect(presets.get('alice', 'balanced').risk.risk_per_trade).toBe(0.004)
    expect(presets.get('bob', 'balanced')).toMatchObject({ modified: false, risk: { risk_per_trade: 0.01 } })
    expect(presets.list('bob').find((p) => p.name === 'balanced')?.modified).toBe(false)
    expect(presets.list('alice').find((p) => p.name === 'balanced')).toMatchObject({ modified: true, risk: { risk_per_trade: 0.004 } })
    expect(BUILTIN_PRESETS.balanced!.risk.risk_per_trade).toBe(0.01)
  })

  it('own presets: create, put, list, delete; per user', () => {
    const presets = service()
    const created = presets.create('alice', { ...body('aggressive'), name: 'my_scalp', description: 'mine' })
    expect(created).toMatchObject({ name: 'my_scalp', builtin: false, modified: false, description: 'mine' })
    expect(presets.list('alice').at(-1)?.name).toBe('my_scalp')
    expect(thrown(() => presets.get('bob', 'my_scalp')).code).toBe('NOT_FOUND')
    expect(thrown(() => presets.create('alice', { ...body(), name: 'my_scalp' })).details.field).toBe('name')
    expect(thrown(() => presets.create('alice', { ...body(), name: 'balanced' })).details.field).toBe('name')
    expect(thrown(() => presets.create('alice', body())).details.field).toBe('name')
    // A served view can be sent back as is (read-only fields are ignored).
    const view = presets.get('alice', 'my_scalp')
    view.scanner.min_volume_ratio = 2.5
    expect(presets.put('alice', 'my_scalp', view).scanner.min_volume_ratio).toBe(2.5)
    expect(presets.delete('alice', 'my_scalp')).toBeNull()
    expect(thrown(() => presets.get('alice', 'my_scalp')).code).toBe('NOT_FOUND')
  })

  it('unknown names are NOT_FOUND; a built-in cannot be deleted; deleting the copy restores it', () => {
    const presets = service()
    expect(thrown(() => presets.get('u', 'nope')).code).toBe('NOT_FOUND')
    expect(thrown(() => presets.put('u', 'nope', body())).code).toBe('NOT_FOUND')
    expect(thrown(() => presets.delete('u', 'nope')).code).toBe('NOT_FOUND')
    const err = thrown(() => presets.delete('u', 'conservative'))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.details.field).toBe('name')
    const changed = body('conservative')
    changed.levels.min_touches = 4
    presets.put('u', 'conservative', changed)
    const restored = presets.delete('u', 'conservative')
    expect(restored).toMatchObject({ name: 'conservative', modified: false, levels: { min_touches: 3 } })
    expect(presets.get('u', 'conservative')).toEqual(restored)
  })

  it('bad values → VALIDATION_FAILED with the dotted field, and nothing is stored', () => {
    const presets = service()
    const bad = body()
    bad.risk.risk_per_trade = 0.5
    const err = thrown(() => presets.put('u', 'balanced', bad))
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'risk.risk_per_trade' } })
    expect(presets.get('u', 'balanced').modified).toBe(false)
  })

  it('a preset in use cannot be changed or deleted (PRESET_IN_USE)', () => {
    let running = false
    const presets = service(undefined, (u, n) => running && u === 'u' && n === 'balanced')
    presets.put('u', 'balanced', body())
    running = true
    expect(thrown(() => presets.put('u', 'balanced', body())).code).toBe('PRESET_IN_USE')
    expect(thrown(() => presets.delete('u', 'balanced')).code).toBe('PRESET_IN_USE')
    expect(presets.put('other', 'balanced', body()).modified).toBe(true)
    running = false
    expect(presets.delete('u', 'balanced')?.modified).toBe(false)
  })

  it('changes survive a restart (file database closed and reopened)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smc-presets-'))
    dirs.push(dir)
    const file = join(dir, 'store.db')
    const first = openDatabase(file)
    const changed = body()
    changed.scanner.min_volume_ratio = 2.25
    service(first).put('alice', 'balanced', changed)
    service(first).create('alice', { ...body('conservative'), name: 'slow' })
    closeDatabase(first)

    const presets = service(track(openDatabase(file)))
    expect(presets.get('alice', 'balanced')).toMatchObject({ modified: true, scanner: { min_volume_ratio: 2.25 } })
    expect(presets.get('alice', 'slow')).toMatchObject({ builtin: false, levels: { min_touches: 3 } })
    expect(presets.get('bob', 'balanced').scanner.min_volume_ratio).toBe(1.5)
  })

  it('caps the presets a user can store', () => {
    const presets = new PresetService({
      repository: new SqlitePresetRepository(track(openDatabase(':memory:'))),
      clock: new ManualClock(T0),
      maxStoredPerUser: 2,
    })
    presets.create('u', { ...body(), name: 'a' })
    presets.put('u', 'balanced', body())
    expect(thrown(() => presets.create('u', { ...body(), name: 'c' })).details.field).toBe('name')
    expect(presets.put('u', 'balanced', body()).modified).toBe(true)
  })
})
