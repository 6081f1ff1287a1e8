import { describe, expect, it } from 'vitest'
import contract from '../generated/openapi.json' with { type: 'json' }
import { ERROR_CODES } from '../core'
import { STATUS_OF } from './errors'

// One closed list of codes: the server's code list, its code → status table and the contract's enum
// (what the SDK's ErrorCode union is generated from) hold the same codes, no more and no fewer.
describe('the closed list of error codes', () => {
  const contractCodes = (contract.components.schemas.ErrorCode as { enum: string[] }).enum

  it('the contract enum, ERROR_CODES and STATUS_OF list the same codes', () => {
    expect([...contractCodes].sort()).toEqual([...ERROR_CODES].sort())
    expect(Object.keys(STATUS_OF).sort()).toEqual([...ERROR_CODES].sort())
  })

  it('the contract says each HTTP code\'s status, and it is the one the server answers with', () => {
    const description = (contract.components.schemas.ErrorCode as { description: string }).description
    for (const code of ERROR_CODES) {
      const line = description.split('\n').find((l) => l.startsWith(`- \`${code}\``))
      expect(line, code).toBeDefined()
      const status = /\((\d{3}):/.exec(line!)?.[1]
      // WebSocket-only codes are stated as such; an HTTP code states its status.
      if (status) expect(Number(status), code).toBe(STATUS_OF[code])
      else expect(line, code).toContain('(WebSocket:')
    }
  })
})
