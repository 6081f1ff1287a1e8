import { createRequire } from 'node:module'
import { defineConfig } from 'tsup'

// The SMC engine (`@smc-trading/smc`, an unpublished workspace package) is bundled into
// `smc-trading-sdk/smc`, code and declarations, so the published SDK does not depend on it.
const ENGINE = '@smc-trading/smc'
// Its entry by real path (Node resolves the workspace symlink): mapped so, the declaration bundler
// sees sources outside node_modules and inlines them instead of re-exporting the package.
const engineEntry = createRequire(import.meta.url).resolve(ENGINE)

export default defineConfig({
  entry: { index: 'src/index.ts', smc: 'src/smc.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: { [ENGINE]: [engineEntry] } } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  noExternal: [ENGINE],
  external: ['ws'],
})
