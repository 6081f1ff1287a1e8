// pnpm bench ephemeral [--runs N]: how fast the throwaway servers for CI are ready.
// - `smc-server --ephemeral --port 0`: wall time from spawn to its JSON line, and the process's own
//   ready_ms (time since the process began, which includes loading the TypeScript sources);
// - `startTestServer()` in process (the first start pays the imports; the next ones are the figure).
// Prints the load average too: on a shared machine the figures move with it.
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from '../lib/server'

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '5' } } })
const runs = Number(values.runs)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const wall: number[] = []
const own: number[] = []
for (let i = 0; i < runs; i++) {
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(ROOT, 'packages/server/bin/smc-server.mjs'), '--ephemeral', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(out.split('\n')[0]!)
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}`)))
  })
  wall.push(performance.now() - t0)
  own.push(JSON.parse(line).ready_ms)
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

const { startTestServer } = await import('../../packages/server/src/testing/test-server')
const inProcess: number[] = []
for (let i = 0; i <= runs; i++) {
  const t0 = performance.now()
  const s = await startTestServer()
  inProcess.push(performance.now() - t0)
  await s.close()
}
const first = inProcess.shift()!
const f = (n: number) => `${n.toFixed(0)} ms`
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine`)
console.log(`smc-server --ephemeral: spawn → JSON line median ${f(median(wall))} (min ${f(Math.min(...wall))}), ready_ms median ${f(median(own))} over ${runs} runs`)
console.log(`startTestServer(): first ${f(first)} (imports), then median ${f(median(inProcess))} (min ${f(Math.min(...inProcess))}) over ${runs} starts`)
