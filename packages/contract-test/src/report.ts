// The summary a person reads (per tag; each failure with its request, response and the schema
// path that failed) and the JUnit XML a CI shows.
import type { CaseResult, RunReport } from './results'

function countBy(results: CaseResult[]): Map<string, { passed: number; failed: number; skipped: number }> {
  const out = new Map<string, { passed: number; failed: number; skipped: number }>()
  for (const r of results) {
    const c = out.get(r.tag) ?? { passed: 0, failed: 0, skipped: 0 }
    c[r.status]++
    out.set(r.tag, c)
  }
  return out
}

const indent = (text: string, by = '      '): string => text.split('\n').map((l) => by + l).join('\n')

/** One failure, readable: what was sent, what came back, what is wrong and where in the contract. */
export function describeFailure(r: CaseResult): string {
  const lines = [`  ✗ ${r.operation} (${r.operationId}) [${r.name}]`]
  for (const p of r.problems ?? []) lines.push(`      ${p.message}${p.schemaPath ? `\n        schema path: ${p.schemaPath}` : ''}`)
  if (r.request) {
    lines.push(`    request:  ${r.request.method} ${r.request.url}`)
    if (r.request.body) lines.push(indent(r.request.body.slice(0, 600)))
  }
  if (r.response) {
    const h = r.response.headers
    const shown = Object.entries(h)
      .filter(([k]) => /^(content-type|x-request-id|x-ratelimit-|retry-after|api-version)/i.test(k))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')
    lines.push(`    response: ${r.response.status} (${shown})`)
    if (r.response.body) lines.push(indent(r.response.body.slice(0, 800)))
  }
  return lines.join('\n')
}

export function formatSummary(report: RunReport): string {
  const counts = countBy(report.results)
  const lines: string[] = ['', `smc-contract-test against ${report.baseUrl} (seed ${report.seed})`, '']
  const width = Math.max(8, ...[...counts.keys()].map((t) => t.length))
  lines.push(`  ${'tag'.padEnd(width)}  passed  failed  skipped`)
  const total = { passed: 0, failed: 0, skipped: 0 }
  for (const [tag, c] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${tag.padEnd(width)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.skipped).padStart(7)}`)
    total.passed += c.passed
    total.failed += c.failed
    total.skipped += c.skipped
  }
  lines.push(`  ${'total'.padEnd(width)}  ${String(total.passed).padStart(6)}  ${String(total.failed).padStart(6)}  ${String(total.skipped).padStart(7)}`)
  const skipped = report.results.filter((r) => r.status === 'skipped')
  if (skipped.length) {
    lines.push('', 'Skipped:')
    for (const r of skipped) lines.push(`  - ${r.operation} [${r.name}]: ${r.skipReason}`)
  }
  const failures = report.results.filter((r) => r.status === 'failed')
  if (failures.length) {
    lines.push('', `Failures (${failures.length}):`)
    for (const r of failures) lines.push(describeFailure(r))
  }
  // How many generated valid inputs got past validation into the handler (2xx), for a sense of depth.
  const valid = report.results.filter((r) => r.name.startsWith('valid #') && r.httpStatus !== undefined)
  if (valid.length) lines.push('', `Generated valid inputs answered 2xx: ${valid.filter((r) => r.httpStatus! < 300).length} of ${valid.length} (the rest a documented 4xx: unknown ids, ranges, risk).`)
  const operations = new Set(report.results.map((r) => r.operation)).size
  lines.push(
    '',
    `${total.failed ? 'FAILED' : 'PASSED'}: ${report.results.length} cases over ${operations} operations, ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s` +
      (report.rateLimitWaits ? ` (${report.rateLimitWaits} rate-limit waits, ${report.rateLimitWaitSeconds} s)` : ''),
  )
  return lines.join('\n')
}

const xml = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

/** JUnit XML: a test suite per tag, a test case per case (`operation [case]`). */
export function formatJunit(report: RunReport): string {
  const byTag = new Map<string, CaseResult[]>()
  for (const r of report.results) byTag.set(r.tag, [...(byTag.get(r.tag) ?? []), r])
  const failures = report.results.filter((r) => r.status === 'failed').length
  const skipped = report.results.filter((r) => r.status === 'skipped').length
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="smc-contract-test" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  ]
  for (const [tag, results] of byTag) {
    const f = results.filter((r) => r.status === 'failed').length
    const s = results.filter((r) => r.status === 'skipped').length
    const time = results.reduce((a, r) => a + r.durationMs, 0) / 1000
    out.push(`  <testsuite name="${xml(tag)}" tests="${results.length}" failures="${f}" skipped="${s}" time="${time.toFixed(3)}" timestamp="${report.startedAt}">`)
    for (const r of results) {
      out.push(`    <testcase classname="${xml(`${tag}.${r.operationId}`)}" name="${xml(`${r.operation} [${r.name}]`)}" time="${(r.durationMs / 1000).toFixed(3)}">`)
      if (r.status === 'skipped') out.push(`      <skipped message="${xml(r.skipReason ?? '')}"/>`)
      if (r.status === 'failed') {
        const first = r.problems?.[0]
        out.push(`      <failure message="${xml(first ? `${first.message}${first.schemaPath ? ` at ${first.schemaPath}` : ''}` : 'failed')}">${xml(describeFailure(r))}</failure>`)
      }
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>', '')
  return out.join('\n')
}
