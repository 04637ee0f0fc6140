// Terminal table of all rows (cli-table3), printed by the table commands after a run.
import Table from 'cli-table3'
import {flattenRow} from './flat-row.js'
import {pct, signed} from './format.js'
import type {RowResult} from './row-result.js'

function withCi(err?: number, lo?: number, hi?: number): string {
  if (err === undefined) return ''
  return lo === undefined || hi === undefined ? pct(err) : `${pct(err)} [${pct(lo, 1)},${pct(hi, 1)}]`
}

export function renderTerminal(rows: readonly RowResult[]): string {
  // No colours: the output is also piped to logs and CI, where escapes are noise.
  const table = new Table({
    head: ['table', 'id', 'row', 'paper top-1', 'paper top-5', 'top-1 [95% CI]', 'Δ top-1', 'top-5 [95% CI]', 'Δ top-5', 'n', 'status'],
    style: {head: [], border: [], compact: true},
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    wordWrap: true,
    colWidths: [null, null, 36, null, null, null, null, null, null, null, 30],
  })
  for (const row of rows) {
    const f = flattenRow(row)
    table.push([
      f.table, f.id, f.label, pct(f.paperTop1, 1), pct(f.paperTop5, 1),
      withCi(f.top1Err, f.top1CiLo, f.top1CiHi), signed(f.top1Diff),
      withCi(f.top5Err, f.top5CiLo, f.top5CiHi), signed(f.top5Diff),
      f.n === undefined ? '' : String(f.n), f.status,
    ])
  }
  return table.toString()
}
