// Cuts fenced code blocks out of a seed document (Markdown) by the heading they sit under and the
// language of their fence. The seed is read at test time: nothing of it is copied into the project.

/** One fenced block of the document. */
export interface CodeBlock {
  /** The nearest heading above the block (its text, without the `#`s). */
  heading: string
  /** Every heading the block sits under, outermost first. */
  path: string[]
  /** The fence's language (`python`, `bash`, …), '' when none. */
  lang: string
  /** The bold label on the line before the fence, e.g. `1. Generate API Key:` (from `**1. Generate API Key:**`). */
  label: string
  /** 1-based line of the opening fence. */
  line: number
  /** The block's text, without the fences, ending in a newline. */
  code: string
}

/** Every fenced block of `markdown`, in document order. Lines inside a fence are never headings. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  const stack: Array<{ level: number; text: string }> = []
  let label = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const fence = /^```\s*([\w+-]*)\s*$/.exec(line)
    if (fence) {
      const start = i
      const body: string[] = []
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
      if (i >= lines.length) throw new Error(`unclosed code fence at line ${start + 1}`)
      blocks.push({
        heading: stack.at(-1)?.text ?? '',
        path: stack.map((h) => h.text),
        lang: fence[1]!.toLowerCase(),
        label,
        line: start + 1,
        code: body.join('\n') + '\n',
      })
      label = ''
      continue
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading) {
      const level = heading[1]!.length
      while (stack.length > 0 && stack.at(-1)!.level >= level) stack.pop()
      stack.push({ level, text: heading[2]! })
      label = ''
      continue
    }
    const bold = /^\*\*(.+?)\*\*\s*$/.exec(line.trim())
    if (bold) label = bold[1]!
    else if (line.trim() !== '') label = ''
  }
  return blocks
}

export interface SnippetQuery {
  /** Text of the nearest heading above the block (exact match). */
  heading: string
  /** Fence language. */
  lang: string
  /** The bold label before the fence must start with this (e.g. `1. Generate API Key`). */
  label?: string
}

/** The blocks under `heading` in `lang` (and with `label`), in document order; none is an error. */
export function snippets(markdown: string, q: SnippetQuery): string[] {
  const found = codeBlocks(markdown).filter(
    (b) => b.heading === q.heading && b.lang === q.lang && (q.label === undefined || b.label.startsWith(q.label)),
  )
  if (found.length === 0) throw new Error(`the seed has no ${q.lang} block under "${q.heading}"${q.label ? ` labelled "${q.label}"` : ''}`)
  return found.map((b) => b.code)
}

/** Exactly one block under `heading` in `lang` (and with `label`): more than one is an error too. */
export function snippet(markdown: string, q: SnippetQuery): string {
  const found = snippets(markdown, q)
  if (found.length !== 1) throw new Error(`the seed has ${found.length} ${q.lang} blocks under "${q.heading}"; expected one`)
  return found[0]!
}
