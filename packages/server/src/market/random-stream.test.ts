import { describe, expect, it } from 'vitest'
import { createRandom } from '../core'
import { createRandomStream } from './random-stream'

describe('createRandomStream', () => {
  it('reproduces core createRandom draw for draw, interleaving next() and normal()', () => {
    for (const seed of [42, 'BTCUSDT:42', 0, 'x']) {
      const a = createRandom(seed)
      const b = createRandomStream(seed)
      const expected: number[] = []
      const actual: number[] = []
      for (let i = 0; i < 20_000; i++) {
        expected.push(i % 3 === 0 ? a.next() : a.normal())
        actual.push(i % 3 === 0 ? b.next() : b.normal())
      }
      expect(actual).toEqual(expected)
    }
  })
})
