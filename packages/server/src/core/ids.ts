import { randomBytes } from 'node:crypto'

/** Makes ids of the form `<kind>_<session><counter>`. */
export type IdFactory = (kind: string) => string

/**
 * Ids unique across restarts without a random draw per id: a per-factory session prefix (random
 * unless given, so a replay can fix it) and a counter.
 *
 * @example
 * const newId = idFactory('s1')
 * newId('ord') // 'ord_s11'
 * newId('pos') // 'pos_s12'
 */
export function idFactory(session: string = randomBytes(6).toString('base64url')): IdFactory {
  let counter = 0
  return (kind) => `${kind}_${session}${(++counter).toString(36)}`
}
