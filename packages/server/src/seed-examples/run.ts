// Runs a seed snippet as its reader would: Python by /usr/bin/python3, JavaScript by node, curl by
// curl (or a small fetch equivalent when curl is absent). Every run has a hard timeout, its output
// is captured in arrival order, and its script lives in a temporary directory outside the project.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The interpreter of Debian's python3-* packages. */
export const PYTHON = '/usr/bin/python3'

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The run outlived its timeout and was killed. */
  timedOut: boolean
}

const running = new Set<Proc>()

/** A spawned snippet: its output so far, a way to wait for a line, its exit. */
export class Proc {
  stdout = ''
  stderr = ''
  /** Both streams, in the order they arrived. */
  output = ''
  readonly exited: Promise<Exit>
  private timedOut = false
  private closed = false
  private waiters = new Set<() => void>()

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    timeoutMs: number,
    onExit: () => void = () => {},
  ) {
    running.add(this)
    const timer = setTimeout(() => {
      this.timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    const take = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
      const s = d.toString('utf8')
      this[stream] += s
      this.output += s
      for (const w of [...this.waiters]) w()
    }
    child.stdout?.on('data', take('stdout'))
    child.stderr?.on('data', take('stderr'))
    this.exited = new Promise<Exit>((resolve) => {
      child.once('error', (err) => {
        this.output += `\n[spawn error] ${err.message}\n`
      })
      child.once('close', (code, signal) => {
        clearTimeout(timer)
        this.closed = true
        running.delete(this)
        // SEED_EXAMPLES_VERBOSE=1 shows what every snippet printed.
        if (process.env.SEED_EXAMPLES_VERBOSE) console.log(`---- ${this.name} (exit ${code ?? signal}) ----\n${this.output}`)
        onExit()
        for (const w of [...this.waiters]) w()
        resolve({ code, signal, timedOut: this.timedOut })
      })
    })
  }

  /** Resolves with the first match of `pattern` in the output; rejects (showing the output) on exit or after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(this.output)
        if (m) return done(() => resolve(m))
        if (this.closed)
          return done(() => reject(new Error(`${this.name} ended without printing ${pattern}; its output:\n${this.output}`)))
      }
      const timer = setTimeout(
        () => done(() => reject(new Error(`${this.name} printed no ${pattern} within ${ms} ms; its output:\n${this.output}`))),
        ms,
      )
      const done = (f: () => void): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        f()
      }
      this.waiters.add(check)
      check()
    })
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.closed) this.child.kill(sig)
  }

  /** The exit and the output, once the process has ended. */
  async done(): Promise<Exit & { stdout: string; stderr: string; output: string }> {
    const exit = await this.exited
    return { ...exit, stdout: this.stdout, stderr: this.stderr, output: this.output }
  }
}

/** Kill every snippet still running (for afterAll). */
export async function killAll(): Promise<void> {
  const left = [...running]
  for (const p of left) p.signal('SIGKILL')
  await Promise.all(left.map((p) => p.exited))
}

interface StartOptions {
  /** Added to the inherited environment. */
  env?: Record<string, string>
  timeoutMs?: number
}

function inTempDir(file: string, code: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smc-seed-'))
  const path = join(dir, file)
  writeFileSync(path, code)
  return { dir, path }
}

/**
 * Start a Python snippet with /usr/bin/python3: unbuffered output (so lines arrive as printed) and
 * matplotlib's non-interactive Agg backend (`plt.show()` draws nowhere instead of opening a window).
 */
export function startPython(name: string, code: string, opts: StartOptions = {}): Proc {
  const { dir, path } = inTempDir('snippet.py', code)
  const child = spawn(PYTHON, [path], {
    cwd: dir,
    env: { ...process.env, MPLBACKEND: 'Agg', PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Proc(name, child, opts.timeoutMs ?? 30_000, () => rmSync(dir, { recursive: true, force: true }))
}

/**
 * Start a JavaScript snippet with this node. Node 20 has a browser-style `WebSocket` global only
 * behind `--experimental-websocket` (on by default from Node 22): the flag is passed when needed, so
 * the snippet runs as written, with no shim.
 */
export function startNode(name: string, code: string, opts: StartOptions = {}): Proc {
  const { dir, path } = inTempDir('snippet.cjs', code)
  const flags = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined' ? ['--experimental-websocket'] : []
  const child = spawn(process.execPath, [...flags, path], {
    cwd: dir,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Proc(name, child, opts.timeoutMs ?? 30_000, () => rmSync(dir, { recursive: true, force: true }))
}

/** The Python modules of `modules` that /usr/bin/python3 cannot import (all of them without that python). */
export function missingPythonModules(modules: string[]): string[] {
  if (!existsSync(PYTHON)) return [...modules]
  const probe = spawnSync(
    PYTHON,
    ['-c', 'import importlib.util, sys\nprint(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))', ...modules],
    { encoding: 'utf8', timeout: 20_000 },
  )
  if (probe.status !== 0) return [...modules]
  return probe.stdout.trim().split(/\s+/).filter(Boolean)
}

// ---- curl ----

/**
 * Split a shell command into words the way bash would for the simple commands the seed shows:
 * quotes, backslash-newline continuations, backslash escapes. Anything else a shell would interpret
 * (variables, pipes, redirections, substitutions) is refused, so a changed seed is noticed.
 */
export function shellWords(command: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  const bad = (c: string): never => {
    throw new Error(`unsupported shell syntax '${c}' in: ${command}`)
  }
  for (let i = 0; i < command.length; ) {
    const c = command[i]!
    if (c === '\\') {
      if (command[i + 1] === '\n') i += 2
      else {
        word += command[i + 1] ?? ''
        inWord = true
        i += 2
      }
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1)
      if (end < 0) bad("unclosed '")
      word += command.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      inWord = true
      for (i++; i < command.length && command[i] !== '"'; ) {
        const d = command[i]!
        if (d === '\\' && '"\\$`\n'.includes(command[i + 1] ?? '')) {
          if (command[i + 1] !== '\n') word += command[i + 1]
          i += 2
        } else if (d === '$' || d === '`') bad(d)
        else {
          word += d
          i++
        }
      }
      if (i >= command.length) bad('unclosed "')
      i++
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if ('$`|&;<>()'.includes(c) || (c === '#' && !inWord)) bad(c)
    else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}

let curlPresent: boolean | undefined
/** Whether a curl binary runs (SEED_EXAMPLES_NO_CURL=1 pretends not, to exercise the fetch stand-in). */
export function haveCurl(): boolean {
  curlPresent ??= !process.env.SEED_EXAMPLES_NO_CURL && spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0
  return curlPresent
}

export interface CurlResult {
  status: number
  body: string
  /** What ran it: the curl binary, or the fetch equivalent when there is none. */
  via: 'curl' | 'node'
}

/**
 * Run one `curl …` command of the seed. With curl installed it runs as written plus `-sS -w` to
 * report the status; without, its `-X`, `-H`, `-d` and URL are sent with fetch.
 */
export async function runCurl(command: string, timeoutMs = 15_000): Promise<CurlResult> {
  const [bin, ...args] = shellWords(command)
  if (bin !== 'curl') throw new Error(`not a curl command: ${command}`)
  if (haveCurl()) {
    const child = spawn('curl', ['-sS', '--max-time', String(Math.ceil(timeoutMs / 1000)), '-w', '\n%{http_code}', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const r = await new Proc('curl', child, timeoutMs + 1000).done()
    if (r.code !== 0) throw new Error(`curl exited ${r.code}: ${r.stderr}`)
    const cut = r.stdout.lastIndexOf('\n')
    return { status: Number(r.stdout.slice(cut + 1)), body: r.stdout.slice(0, cut), via: 'curl' }
  }
  let method: string | undefined
  const headers = new Headers()
  let body: string | undefined
  let url: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const value = (): string => {
      const v = args[++i]
      if (v === undefined) throw new Error(`${a} needs a value in: ${command}`)
      return v
    }
    if (a === '-X' || a === '--request') method = value()
    else if (a === '-H' || a === '--header') {
      const h = value()
      const colon = h.indexOf(':')
      headers.append(h.slice(0, colon).trim(), h.slice(colon + 1).trim())
    } else if (a === '-d' || a === '--data' || a === '--data-raw') {
      body = value()
      if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded')
    } else if (a.startsWith('-')) throw new Error(`the fetch stand-in for curl does not know ${a}: ${command}`)
    else url = a
  }
  if (!url) throw new Error(`no URL in: ${command}`)
  const res = await fetch(url, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(timeoutMs) })
  return { status: res.status, body: await res.text(), via: 'node' }
}
