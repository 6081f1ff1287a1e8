// `smc-server --help`: the flags, every environment variable with its default (read from the
// schema, so the list cannot drift from what the server accepts), and the backtest subcommand.
import { EnvSchema, loadEnv } from './config'

/** The variables as NAME=default (NAME alone without a default), wrapped to `width` columns. */
function envList(width: number): string[] {
  const defaults = loadEnv({}) as Record<string, unknown>
  const items = Object.keys(EnvSchema.shape).map((k) => {
    const v = defaults[k]
    return v === undefined ? k : `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`
  })
  const lines: string[] = []
  let line = ' '
  for (const item of items) {
    if (line.length + 1 + item.length > width && line.trim()) {
      lines.push(line)
      line = ' '
    }
    line += ` ${item}`
  }
  if (line.trim()) lines.push(line)
  return lines
}

export function serverUsage(): string {
  return [
    'Usage: smc-server [--ephemeral] [--port N] [--host H]',
    '       smc-server backtest --strategy <name> --symbol <SYMBOL> --from <time> --to <time> [options]',
    '',
    'The SMC Trading reference server: the REST API on /v1 and the stream on /v1/ws.',
    '',
    '  --ephemeral   a throwaway server for CI: in memory, a free port with --port 0, fixed seed and',
    '                keys, 2 days of history; prints one JSON line (the environment still wins)',
    '  --port N      listen on N (PORT); 0 picks a free port',
    '  --host H      listen on H (HOST)',
    '  -h, --help    this text',
    '',
    '  backtest      one backtest run locally with an HTML report, no server: smc-server backtest --help',
    '',
    'Environment (defaults shown; a bad value stops the start naming the variable; README.md',
    '"Configuration" says what each does):',
    ...envList(100),
    '',
  ].join('\n')
}
