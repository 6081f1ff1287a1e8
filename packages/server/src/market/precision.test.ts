import { describe, expect, it } from 'vitest'
import {
  ceilToGrid,
  decimalsOf,
  floorToGrid,
  floorToStep,
  gridOf,
  isOnStep,
  isOnTick,
  roundToTick,
} from './precision'

describe('decimalsOf / gridOf', () => {
  it('counts decimals, including exponent notation', () => {
    expect(decimalsOf(0.01)).toBe(2)
    expect(decimalsOf(0.0001)).toBe(4)
    expect(decimalsOf(0.00001)).toBe(5)
    expect(decimalsOf(1e-8)).toBe(8)
    expect(decimalsOf(2.5e-7)).toBe(8)
    expect(decimalsOf(5)).toBe(0)
    expect(decimalsOf(0.25)).toBe(2)
  })
  it('represents non-decimal steps as integer units', () => {
    expect(gridOf(0.05)).toEqual({ step: 0.05, decimals: 2, scale: 100, units: 5 })
    expect(gridOf(5)).toEqual({ step: 5, decimals: 0, scale: 1, units: 5 })
    expect(() => gridOf(0)).toThrow(RangeError)
    expect(() => gridOf(Number.NaN)).toThrow(RangeError)
  })
  it('hands out one frozen grid per step, and stays right past its cache bound', () => {
    expect(gridOf(0.01)).toBe(gridOf(0.01))
    expect(Object.isFrozen(gridOf(0.01))).toBe(true)
    for (let k = 1; k <= 600; k++) expect(gridOf(k / 1000).units * 1000).toBe(k * gridOf(k / 1000).scale)
    expect(gridOf(0.05)).toEqual({ step: 0.05, decimals: 2, scale: 100, units: 5 })
  })
})

describe('roundToTick', () => {
  it('returns the canonical double of the decimal', () => {
    expect(roundToTick(0.1 + 0.2, 0.1)).toBe(0.3)
    expect(roundToTick(65000.014, 0.01)).toBe(65000.01)
    expect(roundToTick(65000.016, 0.01)).toBe(65000.02)
    expect(roundToTick(0.55004, 0.0001)).toBe(0.55)
    expect(roundToTick(1.07, 0.05)).toBe(1.05)
    expect(roundToTick(12, 5)).toBe(10)
  })
})

describe('isOnTick / isOnStep', () => {
  it('accepts valid values carrying float noise', () => {
    expect(isOnTick(0.1 + 0.2, 0.1)).toBe(true)
    expect(isOnTick(0.1 + 0.2, 0.01)).toBe(true)
    expect(isOnTick(65000.01, 0.01)).toBe(true)
    expect(isOnTick(64999.99 + 0.02, 0.01)).toBe(true)
    expect(isOnTick(0.5501, 0.0001)).toBe(true)
    expect(isOnStep(0.7 * 3, 0.1)).toBe(true)
    expect(isOnStep(1.1 * 3, 0.00001)).toBe(true)
    let sum = 0
    for (let i = 0; i < 10; i++) sum += 0.1
    expect(isOnStep(sum, 0.1)).toBe(true)
  })
  it('rejects values off the grid', () => {
    expect(isOnTick(65000.015, 0.01)).toBe(false)
    expect(isOnTick(0.55005, 0.0001)).toBe(false)
    expect(isOnTick(1.07, 0.05)).toBe(false)
    expect(isOnStep(0.000015, 0.00001)).toBe(false)
    expect(isOnStep(Number.NaN, 0.1)).toBe(false)
    expect(isOnStep(Number.POSITIVE_INFINITY, 0.1)).toBe(false)
  })
})

describe('floor / ceil to grid', () => {
  it('keeps exact multiples despite float noise and rounds the rest the right way', () => {
    const g = gridOf(0.1)
    expect(floorToGrid(0.1 + 0.2, g)).toBe(0.3)
    expect(floorToGrid(0.3 - 1e-17, g)).toBe(0.3)
    expect(floorToGrid(0.35, g)).toBe(0.3)
    expect(ceilToGrid(0.31, g)).toBe(0.4)
    expect(ceilToGrid(0.7 * 3, g)).toBe(2.1)
    expect(floorToStep(1.23456789, 0.001)).toBe(1.234)
  })
})
