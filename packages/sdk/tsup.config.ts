import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', smc: 'src/smc.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['ws'],
})
