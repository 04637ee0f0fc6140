// One flat record per paper row: settings as columns, then paper, reproduced, CI,
// signed difference, n and status. CSV, Markdown and the terminal all start from this.
import {diff, statusText} from './format.js'
import type {RowResult} from './row-result.js'
import {settingsFromLabel, type RowSettings} from './settings.js'

export interface FlatRow extends RowSettings {
  table: string
  id: string
  label: string
  paperTop1: number
  paperTop5: number
  paperTop5Test?: number
  top1Err?: number
  top1CiLo?: number
  top1CiHi?: number
  top1Diff?: number
  top5Err?: number
  top5CiLo?: number
  top5CiHi?: number
  top5Diff?: number
  n?: number
  skipped?: number
  status: string
  /** sum over this row's jobs that report a wall time (shared jobs count in every row) */
  wallMs?: number
}

export function flattenRow(row: RowResult): FlatRow {
  const r = row.reproduced
  const walls = row.jobs.map((j) => j.wallMs).filter((w): w is number => w !== undefined)
  return {
    table: row.table,
    id: row.id,
    label: row.label,
    ...settingsFromLabel(row.label),
    paperTop1: row.paper.top1,
    paperTop5: row.paper.top5,
    paperTop5Test: row.paper.top5Test,
    top1Err: r?.top1Err,
    top1CiLo: r?.top1Ci[0],
    top1CiHi: r?.top1Ci[1],
    top1Diff: diff(r?.top1Err, row.paper.top1),
    top5Err: r?.top5Err,
    top5CiLo: r?.top5Ci[0],
    top5CiHi: r?.top5Ci[1],
    top5Diff: diff(r?.top5Err, row.paper.top5),
    n: r?.n,
    skipped: r?.skipped,
    status: statusText(row),
    wallMs: walls.length > 0 ? walls.reduce((a, b) => a + b, 0) : undefined,
  }
}
