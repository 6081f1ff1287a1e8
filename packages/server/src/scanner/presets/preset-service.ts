import { DomainError, type Clock } from '../../core'
import type { PresetRepository, PresetRow } from '../../store'
import { BUILTIN_PRESET_NAMES, BUILTIN_PRESETS, isBuiltinPreset } from './builtins'
import { PRESET_IN_USE, parsePreset, type Preset } from './schema'

/** A preset as served: the preset plus where it comes from. */
export type PresetView = Preset & {
  /** The name is a built-in one (possibly overridden by this user's copy). */
  builtin: boolean
  /** This user's stored copy replaces the built-in (always false for a user's own preset). */
  modified: boolean
  /** When this user last stored it (ISO 8601); null for an unmodified built-in. */
  updated_at: string | null
}

export interface PresetServiceOptions {
  repository: PresetRepository
  clock: Clock
  /** Whether a running engine of the user uses the preset: then it cannot be changed or deleted (409). */
  inUse?: (userId: string, name: string) => boolean
  /** Most presets (own ones and copies of built-ins) a user can store. Default 100. */
  maxStoredPerUser?: number
}

/** Fields of a served preset that a client may send back in a PUT/POST body; ignored. */
const READ_ONLY = ['builtin', 'modified', 'updated_at'] as const

/**
 * Per-user presets, copy-on-write over the built-ins: a user's `put` of a built-in name stores that
 * user's copy (other users keep seeing the built-in); deleting the copy restores the built-in.
 * Users can also create and delete presets of their own. Everything is validated with
 * {@link parsePreset} and persisted through the repository (SQLite), so it survives restarts.
 *
 * @example
 * const presets = new PresetService({ repository: new SqlitePresetRepository(db), clock, inUse: (u, n) => runner.uses(u, n) })
 * presets.put('user_1', 'balanced', { ...body, risk: { ...body.risk, risk_per_trade: 0.005 } })
 */
export class PresetService {
  private readonly repo: PresetRepository
  private readonly clock: Clock
  private readonly inUse: (userId: string, name: string) => boolean
  private readonly maxStored: number

  constructor(options: PresetServiceOptions) {
    this.repo = options.repository
    this.clock = options.clock
    this.inUse = options.inUse ?? (() => false)
    this.maxStored = options.maxStoredPerUser ?? 100
  }

  /** Built-ins (the user's copy where there is one) in their fixed order, then the user's own presets by name. */
  list(userId: string): PresetView[] {
    const stored = new Map(this.repo.listByUser(userId).map((r) => [r.name, r]))
    const out: PresetView[] = BUILTIN_PRESET_NAMES.map((name) => {
      const row = stored.get(name)
      return row ? this.view(row) : builtinView(name)
    })
    for (const row of stored.values()) if (!isBuiltinPreset(row.name)) out.push(this.view(row))
    return out
  }

  /** One preset as this user sees it. @throws DomainError NOT_FOUND for a name that is neither built-in nor the user's. */
  get(userId: string, name: string): PresetView {
    const row = this.repo.find(userId, name)
    if (row) return this.view(row)
    if (isBuiltinPreset(name)) return builtinView(name)
    throw notFound(name)
  }

  /** The preset a scan or an engine runs with (no view fields). @throws DomainError NOT_FOUND */
  resolve(userId: string, name: string): Preset {
    const { builtin: _b, modified: _m, updated_at: _u, ...preset } = this.get(userId, name)
    return preset
  }

  /**
   * Replace a preset as a whole (every field required). For a built-in name this stores the user's
   * copy. @throws DomainError NOT_FOUND (unknown name), VALIDATION_FAILED (`details.field`),
   * PRESET_MISMATCH (the body names another preset), PRESET_IN_USE (a running engine uses it).
   */
  put(userId: string, name: string, body: unknown): PresetView {
    const existing = this.repo.find(userId, name)
    if (!existing && !isBuiltinPreset(name)) throw notFound(name)
    const preset = parsePreset(withoutReadOnly(body), name)
    this.refuseInUse(userId, name)
    if (!existing) this.refuseOverCap(userId)
    const at = this.clock.now()
    this.repo.upsert({ userId, name, config: configOf(preset), createdAt: existing?.createdAt ?? at, updatedAt: at })
    return { ...preset, builtin: isBuiltinPreset(name), modified: isBuiltinPreset(name), updated_at: new Date(at).toISOString() }
  }

  /**
   * Create a user preset; the body carries its `name`. @throws DomainError VALIDATION_FAILED
   * (`details.field`; `name` when it is missing, malformed, or already a preset of this user or a built-in).
   */
  create(userId: string, body: unknown): PresetView {
    const name = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).name : undefined
    if (typeof name !== 'string') throw fieldError('name', 'A new preset needs a "name"')
    const preset = parsePreset(withoutReadOnly(body), name)
    if (isBuiltinPreset(name) || this.repo.find(userId, name)) throw fieldError('name', `Preset "${name}" already exists`)
    this.refuseOverCap(userId)
    const at = this.clock.now()
    if (!this.repo.insertIfAbsent({ userId, name, config: configOf(preset), createdAt: at, updatedAt: at }))
      throw fieldError('name', `Preset "${name}" already exists`)
    return { ...preset, builtin: false, modified: false, updated_at: new Date(at).toISOString() }
  }

  /**
   * Delete a user's preset, or the user's copy of a built-in (the built-in is then restored and
   * returned; null for a deleted own preset). @throws DomainError NOT_FOUND, VALIDATION_FAILED
   * (`details.field` = `name`) for an unmodified built-in, PRESET_IN_USE.
   */
  delete(userId: string, name: string): PresetView | null {
    const existing = this.repo.find(userId, name)
    if (!existing) {
      if (isBuiltinPreset(name)) throw fieldError('name', `Built-in preset "${name}" cannot be deleted`)
      throw notFound(name)
    }
    this.refuseInUse(userId, name)
    this.repo.delete(userId, name)
    return isBuiltinPreset(name) ? builtinView(name) : null
  }

  private refuseInUse(userId: string, name: string): void {
    if (this.inUse(userId, name))
      throw new DomainError(PRESET_IN_USE, `Preset "${name}" is in use by a running engine; stop it first`, { preset: name })
  }

  private refuseOverCap(userId: string): void {
    if (this.repo.countByUser(userId) >= this.maxStored)
      throw fieldError('name', `At most ${this.maxStored} stored presets per user; delete one first`)
  }

  private view(row: PresetRow): PresetView {
    let preset: Preset
    try {
      preset = parsePreset(row.config, row.name)
    } catch (error) {
      // Stored rows were validated on write; one failing now means the schema narrowed without a migration.
      throw new DomainError('INTERNAL_ERROR', `Stored preset "${row.name}" no longer validates`, {
        preset: row.name,
        cause: error instanceof DomainError ? error.details.field : undefined,
      })
    }
    const builtin = isBuiltinPreset(row.name)
    return { ...preset, builtin, modified: builtin, updated_at: new Date(row.updatedAt).toISOString() }
  }
}

function builtinView(name: string): PresetView {
  return { ...structuredClone(BUILTIN_PRESETS[name]!), builtin: true, modified: false, updated_at: null }
}

function configOf(preset: Preset): unknown {
  const { name: _name, ...config } = preset
  return config
}

function withoutReadOnly(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  const copy = { ...(body as Record<string, unknown>) }
  for (const k of READ_ONLY) delete copy[k]
  return copy
}

const notFound = (name: string): DomainError =>
  new DomainError('NOT_FOUND', `Preset "${name.slice(0, 64)}" not found`, { preset: name.slice(0, 64) })

const fieldError = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { target: 'preset', field })
