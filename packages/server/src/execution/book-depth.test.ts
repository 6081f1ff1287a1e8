import { describe, expect, it } from 'vitest'
import { shallowestBook } from './book-depth'

describe('shallowestBook', () => {
  const reader = () => {
    const reads: number[] = []
    return { reads, read: (depth: number) => (reads.push(depth), depth) }
  }

  it('stops at the first depth that answers', () => {
    const r = reader()
    expect(shallowestBook(r.read, () => true)).toBe(4)
    expect(r.reads).toEqual([4])
  })

  it('goes deeper while the shallower book does not hold enough', () => {
    const r = reader()
    expect(shallowestBook(r.read, (d) => d >= 20)).toBe(20)
    expect(r.reads).toEqual([4, 20])
  })

  it('ends with the full depth whether or not it answers', () => {
    const r = reader()
    expect(shallowestBook(r.read, () => false)).toBe(100)
    expect(r.reads).toEqual([4, 20, 100])
  })
})
