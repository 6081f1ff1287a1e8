import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VECTORS_DIR } from '../testing/vectors'
import { main, parseCli } from './main'

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const EURUSD = join(VECTORS_DIR, 'EURUSD_15M.csv')

/** Spawn the real command the way `pnpm smc` does: node + tsx on src/cli/index.ts. */
function smc(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      cwd: pkgDir,
      env: { ...process.env, INIT_CWD: '', ...env },
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }))
  })
}

const tmp = mkdtempSync(join(tmpdir(), 'smc-cli-'))
const eurusdLines = readFileSync(EURUSD, 'utf8').split('\n')
/** A copy of the EURUSD file's first rows with one line replaced (1-based line numbers). */
function broken(name: string, edit: (lines: string[]) => void): string {
  const lines = eurusdLines.slice(0, 50)
  edit(lines)
  const p = join(tmp, name)
  writeFileSync(p, lines.join('\n'))
  return p
}

describe.concurrent('smc CLI (spawned)', () => {
  it('fvg on EURUSD reproduces fvg_result_data.csv byte for byte', async () => {
    const r = await smc(['fvg', '--input', EURUSD])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.equals(readFileSync(join(VECTORS_DIR, 'fvg_result_data.csv')))).toBe(true)
  })

  it('previous_high_low --time-frame W reproduces its reference file', async () => {
    const r = await smc(['previous_high_low', '--input', EURUSD, '--time-frame', 'W'])
    expect(r.code).toBe(0)
    expect(r.stdout.equals(readFileSync(join(VECTORS_DIR, 'previous_high_low_result_data_W.csv')))).toBe(true)
  })

  it('ob (swing-based, --swing-length default 5) reproduces ob_result_data.csv', async () => {
    const r = await smc(['ob', '--input', EURUSD, '--close-mitigation', 'false'])
    expect(r.code).toBe(0)
    expect(r.stdout.equals(readFileSync(join(VECTORS_DIR, 'ob_result_data.csv')))).toBe(true)
  })

  it('resolves a relative --input against INIT_CWD (where pnpm was run)', async () => {
    const r = await smc(['sessions', '--input', 'EURUSD_15M.csv', '--session', 'London'], { INIT_CWD: VECTORS_DIR })
    expect(r.code).toBe(0)
    expect(r.stdout.equals(readFileSync(join(VECTORS_DIR, 'sessions_result_data.csv')))).toBe(true)
  })

  it('missing column: exit 1, names line 1 and the column', async () => {
    const f = broken('no-close.csv', (l) => {
      l[0] = l[0]!.replace('Close', 'Klose')
    })
    const r = await smc(['fvg', '--input', f])
    expect(r.code).toBe(1)
    expect(r.stdout.length).toBe(0)
    expect(r.stderr).toMatch(/no-close\.csv: line 1: missing column "close"/)
  })

  it('unparsable number: exit 1, names the line', async () => {
    const f = broken('bad-number.csv', (l) => {
      l[6] = l[6]!.replace(/,0\.9\d+,/, ',abc,')
    })
    const r = await smc(['fvg', '--input', f])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/line 7: unparsable number "abc"/)
  })

  it('unparsable date: exit 1, names the line', async () => {
    const f = broken('bad-date.csv', (l) => {
      l[3] = l[3]!.replace(/^\S+ /, '2022.13.40 ')
    })
    const r = await smc(['previous_high_low', '--input', f])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/line 4: unparsable time "2022\.13\.40/)
  })

  it('unsorted time: exit 1, names the line', async () => {
    const f = broken('unsorted.csv', (l) => {
      ;[l[10], l[11]] = [l[11]!, l[10]!]
    })
    const r = await smc(['sessions', '--input', f, '--session', 'Tokyo'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/line 12: rows are not in ascending time order/)
  })

  it('unknown indicator: exit 2 with the list of indicators', async () => {
    const r = await smc(['fgv', '--input', EURUSD])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown indicator "fgv" \(one of: swing_highs_lows, fvg, .*retracements\)/)
  })

  it('unknown flag: exit 2', async () => {
    const r = await smc(['fvg', '--input', EURUSD, '--join', 'true'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Unknown option '--join'/)
  })

  it('bad flag value: exit 2', async () => {
    const r = await smc(['fvg', '--input', EURUSD, '--join-consecutive', 'yes'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--join-consecutive must be true or false, got "yes"/)
  })

  it('missing input file: exit 1', async () => {
    const r = await smc(['fvg', '--input', join(tmp, 'nope.csv')])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/cannot read --input .*nope\.csv: ENOENT/)
  })
})

describe('smc CLI argument validation (in-process)', () => {
  const run = (argv: string[]) => {
    let stdout = ''
    let stderr = ''
    const code = main(argv, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      readFile: () => 'Date,Open,High,Low,Close,Volume\n2024.01.02 07:00:00,1,2,0.5,1.5,0\n',
      cwd: '/',
    })
    return { code, stdout, stderr }
  }

  it('--help prints usage and exits 0', () => {
    const r = run(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: smc <indicator> --input/)
  })

  it.each([
    [['fvg'], /missing --input/],
    [[], /missing indicator/],
    [['fvg', 'ob', '--input', 'x'], /expected one indicator/],
    [['fvg', '--input', 'x', '--session', 'London'], /--session does not apply to fvg \(it takes --join-consecutive\)/],
    [['ob', '--input', 'x', '--swing-length', '0'], /--swing-length must be a positive integer/],
    [['ob', '--input', 'x', '--swing-length', '2.5'], /--swing-length must be a positive integer/],
    [['liquidity', '--input', 'x', '--range-percent', 'abc'], /--range-percent must be a non-negative number/],
    [['previous_high_low', '--input', 'x', '--time-frame', '15m'], /--time-frame: unsupported time frame "15m"/],
    [['sessions', '--input', 'x'], /sessions needs --session/],
    [['sessions', '--input', 'x', '--session', 'Custom', '--start-time', '25:00', '--end-time', '10:00'], /--start-time "25:00" is not a valid HH:MM/],
    [['sessions', '--input', 'x', '--session', 'Custom'], /Custom session requires a start and end time/],
    [['sessions', '--input', 'x', '--session', 'London', '--time-zone', 'Mars/Base'], /unknown time zone "Mars\/Base"/],
    [['sessions', '--input', 'x', '--session', 'London', '--input'], /argument missing/],
  ])('%j is a usage error (exit 2)', (argv, message) => {
    const r = run(argv)
    expect(r.stderr).toMatch(message)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
  })

  it('parses every option', () => {
    expect(parseCli(['bos_choch', '--input', 'a.csv', '--swing-length', '7', '--close-break', 'false'])).toEqual({
      help: false,
      indicator: 'bos_choch',
      input: 'a.csv',
      params: { swingLength: 7, closeBreak: false },
    })
    const s = parseCli(['sessions', '-i', 'a.csv', '--session', 'Custom', '--start-time', '8:30', '--end-time', '11:00', '--time-zone', 'Europe/London'])
    expect(s).toMatchObject({ params: { session: 'Custom', startTime: '8:30', endTime: '11:00', timeZone: 'Europe/London' } })
  })

  it('a candle time inside a DST gap of --time-zone is a data error naming the line', () => {
    let stderr = ''
    const code = main(['sessions', '--input', 'x', '--session', 'London', '--time-zone', 'Europe/London'], {
      stdout: () => {},
      stderr: (t) => void (stderr += t),
      readFile: () => 'Date,Open,High,Low,Close,Volume\n2022.03.27 00:30:00,1,1,1,1,0\n2022.03.27 01:30:00,1,1,1,1,0\n',
      cwd: '/',
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(/line 3: local time 2022-03-27 01:30:00 .*does not exist in Europe\/London/)
  })
})
