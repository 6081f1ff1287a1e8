import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleWorker } from './bundle.mjs'

describe('the backtest worker bundle', () => {
  it('is one JavaScript module built from the current sources, with a map, that imports installed packages and keeps each file’s import.meta.url', async () => {
    const url = await bundleWorker()
    const file = fileURLToPath(url)
    expect(file).toMatch(/node_modules\/\.cache\/smc-backtest-worker\/worker-[0-9a-f]{16}\.mjs$/)
    expect(existsSync(`${file}.map`)).toBe(true)
    const code = readFileSync(file, 'utf8')
    // The SMC package is bundled from its sources; installed packages stay imports.
    expect(code).toMatch(/ColumnPool = class/)
    expect(code).toMatch(/from "better-sqlite3"/)
    // The store finds its migrations next to its own source file.
    expect(code).toContain(JSON.stringify(pathToFileURL(fileURLToPath(new URL('../../store/database.ts', import.meta.url))).href))
    expect(code).not.toContain('import.meta.url')
    // Same sources, same file.
    expect(await bundleWorker()).toBe(url)
  })
})
