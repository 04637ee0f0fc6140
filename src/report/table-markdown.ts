// One paper table as Markdown: one line per paper row, paper vs reproduced side by side.
import {flattenRow, type FlatRow} from './flat-row.js'
import {pct, signed} from './format.js'
import {markdownTable} from '../util/markdown-table.js'
import type {RowResult} from './row-result.js'

interface Column {
  head: string
  align: 'l' | 'r'
  value: (f: FlatRow) => string
  /** shown only when some row has a value (e.g. fusion members only in Table 6) */
  optional?: boolean
}

function withCi(err: number | undefined, lo: number | undefined, hi: number | undefined): string {
  if (err === undefined) return ''
  return lo === undefined || hi === undefined ? pct(err) : `${pct(err)} [${pct(lo)}, ${pct(hi)}]`
}

const COLUMNS: Column[] = [
  {head: 'id', align: 'l', value: (f) => f.id},
  {head: 'config', align: 'l', value: (f) => f.config, optional: true},
  {head: 'S (train)', align: 'l', value: (f) => f.trainScale, optional: true},
  {head: 'Q (test)', align: 'l', value: (f) => f.testScales, optional: true},
  {head: 'members', align: 'l', value: (f) => f.members, optional: true},
  {head: 'method', align: 'l', value: (f) => f.method, optional: true},
  {head: 'paper top-1', align: 'r', value: (f) => pct(f.paperTop1, 1)},
  {head: 'paper top-5', align: 'r', value: (f) => pct(f.paperTop5, 1)},
  {head: 'paper top-5 test', align: 'r', value: (f) => pct(f.paperTop5Test, 1), optional: true},
  {head: 'top-1 [95% CI]', align: 'r', value: (f) => withCi(f.top1Err, f.top1CiLo, f.top1CiHi)},
  {head: 'Δ top-1', align: 'r', value: (f) => signed(f.top1Diff)},
  {head: 'top-5 [95% CI]', align: 'r', value: (f) => withCi(f.top5Err, f.top5CiLo, f.top5CiHi)},
  {head: 'Δ top-5', align: 'r', value: (f) => signed(f.top5Diff)},
  {head: 'n', align: 'r', value: (f) => (f.n === undefined ? '' : String(f.n))},
  {head: 'status', align: 'l', value: (f) => f.status},
]

export function tableMarkdown(rows: readonly RowResult[]): string {
  const flat = rows.map(flattenRow)
  const cols = COLUMNS.filter((c) => !c.optional || flat.some((f) => c.value(f) !== ''))
  return markdownTable(
    cols.map((c) => c.head),
    flat.map((f) => cols.map((c) => c.value(f))),
    cols.map((c) => c.align),
  )
}
