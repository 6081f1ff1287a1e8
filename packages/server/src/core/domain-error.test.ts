import { describe, expect, it } from 'vitest'
import { DomainError } from './domain-error'

describe('DomainError.denial', () => {
  it('is the same error as the constructor gives, without a captured stack, and leaves the stack limit as it was', () => {
    const before = Error.stackTraceLimit
    const d = DomainError.denial('INSUFFICIENT_BALANCE', 'Insufficient balance to execute trade', { required: 10, available: 5 })
    expect(d).toBeInstanceOf(DomainError)
    expect(d).toBeInstanceOf(Error)
    expect({ code: d.code, message: d.message, details: d.details, name: d.name }).toEqual({
      code: 'INSUFFICIENT_BALANCE',
      message: 'Insufficient balance to execute trade',
      details: { required: 10, available: 5 },
      name: 'DomainError',
    })
    expect(d.stack).not.toMatch(/\n\s+at /)
    expect(new DomainError('NOT_FOUND', 'x').stack).toMatch(/\n\s+at /)
    expect(Error.stackTraceLimit).toBe(before)
  })
})
