#!/usr/bin/env node
// The `smc-contract-test` bin.
import { main } from './cli-args'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    console.error(e)
    process.exitCode = 1
  },
)
