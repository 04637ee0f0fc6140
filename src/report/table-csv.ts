// One table as CSV: flat rows, settings as columns, in the spirit of timm's results/*.csv.
// Provenance goes to provenance.json, not into comment lines that break CSV readers.
import {stringify} from 'csv-stringify/sync'
import {flattenRow} from './flat-row.js'
import type {RowResult} from './row-result.js'

export const CSV_COLUMNS = [
  'table', 'id', 'label', 'config', 'train_scale', 'test_scales', 'method', 'members',
  'paper_top1', 'paper_top5', 'paper_top5_test',
  'top1_err', 'top1_ci_lo', 'top1_ci_hi', 'top1_diff',
  'top5_err', 'top5_ci_lo', 'top5_ci_hi', 'top5_diff',
  'n', 'skipped', 'status', 'wall_s',
] as const

// Subtraction leaves float noise (e.g. 27.299999); three decimals is well below any CI.
function num(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toFixed(digits)))
}

export function tableCsv(rows: readonly RowResult[]): string {
  const records = rows.map((row) => {
    const f = flattenRow(row)
    return [
      f.table, f.id, f.label, f.config, f.trainScale, f.testScales, f.method, f.members,
      num(f.paperTop1), num(f.paperTop5), num(f.paperTop5Test),
      num(f.top1Err), num(f.top1CiLo), num(f.top1CiHi), num(f.top1Diff),
      num(f.top5Err), num(f.top5CiLo), num(f.top5CiHi), num(f.top5Diff),
      num(f.n, 0), num(f.skipped, 0), f.status, num(f.wallMs === undefined ? undefined : f.wallMs / 1000, 1),
    ]
  })
  return stringify(records, {header: true, columns: [...CSV_COLUMNS]})
}
