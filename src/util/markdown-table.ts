// Markdown tables, the one builder for reports and the benchmark: cells are escaped
// (labels and error messages may contain '|'), columns optionally right-aligned.

export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

export function markdownTable(head: string[], body: string[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'))
  // an all-empty row (the header of a key/value table) is `| | |`, as written by hand
  const line = (cells: string[]) => (cells.every((c) => c === '') ? `|${cells.map(() => ' ').join('|')}|` : `| ${cells.map(cell).join(' | ')} |`)
  return [line(head), `|${sep.join('|')}|`, ...body.map(line)].join('\n')
}
