// @smc-trading/contract-test: check a running SMC Trading server against the bundled contract.
export { runContractTests, UsageError } from './run'
export { Runner, type RunOptions } from './runner'
export { formatSummary, formatJunit, describeFailure } from './report'
export { loadBundledDocuments, type ContractDocuments } from './documents'
export type { CaseResult, CaseStatus, RunReport } from './results'
export { parseCliArgs, main, type CliOptions } from './cli-args'
