// The run's progress on stderr. On a terminal a bar redrawn in place (carriage returns); in a log
// file or a CI pipe those frames would pile up as one unreadable line, so there it is a plain line
// at each tenth of the run and the last.

const WIDTH = 30

function bar(processed: number, total: number): string {
  const done = total > 0 ? Math.min(WIDTH, Math.round((processed / total) * WIDTH)) : WIDTH
  return `[${'#'.repeat(done)}${'.'.repeat(WIDTH - done)}] ${processed}/${total} candles`
}

export class Progress {
  /** A terminal frame is on the line without its newline. */
  private open = false
  /** The last tenth written as a plain line (-1: none yet). */
  private tenth = -1
  private last: { processed: number; total: number } | null = null
  private lastWritten = false

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  update(processed: number, total: number): void {
    this.last = { processed, total }
    if (this.tty) {
      this.write(`\r${bar(processed, total)}`)
      this.open = true
      return
    }
    const tenth = total > 0 ? Math.floor((processed / total) * 10) : 10
    this.lastWritten = tenth > this.tenth
    if (!this.lastWritten) return
    this.tenth = tenth
    this.write(`${bar(processed, total)}\n`)
  }

  /** Finish: end the terminal's line, or write the last count if its tenth was already shown. */
  end(): void {
    if (this.open) this.write('\n')
    else if (!this.tty && this.last && !this.lastWritten) this.write(`${bar(this.last.processed, this.last.total)}\n`)
    this.open = false
    this.last = null
  }
}
