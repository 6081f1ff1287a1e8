import { copyFileSync } from 'node:fs'
import { defineConfig } from 'tsup'

// The bundled contract ships inside the package (dist/openapi.json, dist/asyncapi.json), copied from
// the server's generated folder at build time: the published tool never reads server sources.
const GENERATED = '../server/src/generated'

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build (the documents are found next to the module).
  shims: true,
  external: ['ws', 'ajv', 'ajv-formats'],
  onSuccess: async () => {
    for (const f of ['openapi.json', 'asyncapi.json']) copyFileSync(`${GENERATED}/${f}`, `dist/${f}`)
  },
})
