// Hand-made inputs for the report tests: the published numbers of every paper row
// (typed in from the paper, so the tests also catch a wrong number in the YAML), row
// results built from the real table files, and a small CSV reader.
import {loadTables} from '../../src/experiments/index.js'
import type {RowResult, TableName} from '../../src/experiments/types.js'
import type {Provenance} from '../../src/report/index.js'

type Published = [top1: number, top5: number, top5Test?: number]

/** Paper Tables 3-6, rows in paper order. */
export const PUBLISHED: Record<TableName, Published[]> = {
  table3: [[29.6, 10.4], [29.7, 10.5], [28.7, 9.9], [28.1, 9.4], [28.1, 9.3], [27.3, 8.8], [27.0, 8.8], [26.8, 8.7], [25.6, 8.1], [27.3, 9.0], [26.9, 8.7], [25.5, 8.0]],
  table4: [[28.2, 9.6], [27.7, 9.2], [27.8, 9.2], [26.3, 8.2], [26.6, 8.6], [26.5, 8.6], [24.8, 7.5], [26.9, 8.7], [26.7, 8.6], [24.8, 7.5]],
  table5: [[24.8, 7.5], [24.6, 7.5], [24.4, 7.2], [24.8, 7.5], [24.6, 7.4], [24.4, 7.1]],
  table6: [[24.7, 7.5, 7.3], [24.0, 7.1, 7.0], [23.9, 7.2], [23.7, 6.8, 6.8]],
}

export type Fill = (row: {table: TableName; id: string; paper: RowResult['paper']}, index: number) => Partial<RowResult> | undefined

/** All paper rows from experiments/*.yaml; `fill` decides each row's outcome (default pending). */
export function paperRows(fill: Fill = () => undefined): RowResult[] {
  const rows: RowResult[] = []
  for (const spec of loadTables()) {
    spec.rows.forEach((r, i) => {
      const base: RowResult = {table: r.table, id: r.id, label: r.label, paper: r.paper, status: 'pending', nets: [], jobs: []}
      rows.push({...base, ...fill(r, i)})
    })
  }
  return rows
}

/** An 'ok' outcome: `top1`/`top5` errors in percent on n images with a rough 95% CI. */
export function ok(top1: number, top5: number, n = 3925, halfWidth = 1.4): Partial<RowResult> {
  return {
    status: 'ok',
    reproduced: {top1Err: top1, top5Err: top5, top1Ci: [top1 - halfWidth, top1 + halfWidth], top5Ci: [top5 - halfWidth, top5 + halfWidth], n, skipped: 0},
  }
}

export const PROVENANCE: Provenance = {
  profile: 'test',
  dataset: {path: '/data/tiny', trainImages: 100, valImages: 40, id: 'abc123'},
  backend: 'cpu',
  device: 'test CPU',
  gitCommit: '0000000',
  date: '2026-11-28T10:00:00Z',
}

/** RFC 4180 reader, enough for csv-stringify's output (quoted fields with commas). */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = []
  let field = ''
  let rec: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') rec.push(field), (field = '')
    else if (c === '\n') rec.push(field), records.push(rec), (rec = []), (field = '')
    else if (c !== '\r') field += c
  }
  if (field !== '' || rec.length > 0) rec.push(field), records.push(rec)
  const [head, ...body] = records
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])))
}
