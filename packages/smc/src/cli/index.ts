#!/usr/bin/env node
// `smc` command entry: see ./main.ts (kept separate so tests and tools can import main()).
import { main } from './main'

process.exitCode = main(process.argv.slice(2))
