// Where the report goes, checked before the run: a typo in --out found after minutes of
// backtesting loses the run.
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import { dirname, join } from 'node:path'

const stat = (path: string): Stats | null => {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** Why a report cannot be written to `path` (absolute), or null when it can. */
export function outPathProblem(path: string): string | null {
  const file = stat(path)
  if (file?.isDirectory()) return `${path} is a folder; name the report file, e.g. ${join(path, 'report.html')}`
  const dir = dirname(path)
  const folder = stat(dir)
  if (!folder) return `the folder ${dir} does not exist`
  if (!folder.isDirectory()) return `${dir} is not a folder`
  if (file ? !writable(path) : !writable(dir)) return `${file ? path : `the folder ${dir}`} is not writable`
  return null
}
