// Vega-Lite spec: per paper row, the paper's top-1 error next to the reproduced one with
// its 95% CI as an error bar. Rows keep the paper's order top to bottom.
import type {TopLevelSpec} from 'vega-lite'
import {pct} from './format.js'
import type {RowResult} from './row-result.js'

interface Datum {
  row: string
  source: 'paper' | 'reproduced'
  err: number
  lo: number
  hi: number
  text: string
}

const MAX_LABEL = 48

type Naming = (r: RowResult) => string
const NAMINGS: Naming[] = [(r) => `${r.id}: ${r.label}`, (r) => r.label, (r) => r.id]

// Axis text: one naming for the whole chart so rows read alike, the most descriptive
// one that fits every row ("id: label", else the label, else the id: the 7-net fusion
// row's label is too long). Rows without results say why, having no red point.
function namer(rows: readonly RowResult[]): (r: RowResult) => string {
  const naming = NAMINGS.find((n) => rows.every((r) => n(r).length <= MAX_LABEL)) ?? NAMINGS[2]
  return (r) => (r.reproduced ? naming(r) : `${naming(r)} (${r.status === 'ok' ? 'no result' : r.status})`)
}

export function errorChartData(rows: readonly RowResult[]): Datum[] {
  const rowName = namer(rows)
  const data: Datum[] = []
  for (const r of rows) {
    const row = rowName(r)
    const p = r.paper.top1
    data.push({row, source: 'paper', err: p, lo: p, hi: p, text: pct(p, 1)})
    if (r.reproduced) {
      const q = r.reproduced
      data.push({row, source: 'reproduced', err: q.top1Err, lo: q.top1Ci[0], hi: q.top1Ci[1], text: pct(q.top1Err, 1)})
    }
  }
  return data
}

export function errorChartSpec(title: string, rows: readonly RowResult[]): TopLevelSpec {
  const y = {field: 'row', type: 'nominal' as const, sort: rows.map(namer(rows)), title: null, axis: {labelLimit: 0}} // names are already short (MAX_LABEL); 0 = never truncate
  const yOffset = {field: 'source', type: 'nominal' as const, scale: {domain: ['paper', 'reproduced']}}
  // Colour and shape share one legend; identical legend settings keep Vega-Lite from
  // warning about conflicts when it merges the layers.
  const legend = {title: null, orient: 'bottom' as const}
  const color = {field: 'source', type: 'nominal' as const, scale: {domain: ['paper', 'reproduced'], range: ['#4c78a8', '#e45756']}, legend}
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {text: title, subtitle: 'top-1 error (%), reproduced with 95% CI', anchor: 'start'},
    width: 420,
    height: {step: 28},
    background: 'white',
    // Without a canvas vega estimates text widths; extra room keeps the CI labels whole.
    padding: {left: 5, top: 5, bottom: 5, right: 24},
    config: {font: 'DejaVu Sans'},
    data: {values: errorChartData(rows)},
    layer: [
      {
        mark: {type: 'rule', strokeWidth: 2},
        encoding: {y, yOffset, x: {field: 'lo', type: 'quantitative', title: 'top-1 error (%)', scale: {zero: false}}, x2: {field: 'hi'}, color},
      },
      {
        mark: {type: 'point', filled: true, size: 70},
        encoding: {y, yOffset, x: {field: 'err', type: 'quantitative'}, color, shape: {field: 'source', type: 'nominal', scale: {domain: ['paper', 'reproduced'], range: ['diamond', 'circle']}, legend}},
      },
      {
        mark: {type: 'text', align: 'left', dx: 7, fontSize: 10},
        encoding: {y, yOffset, x: {field: 'hi', type: 'quantitative'}, text: {field: 'text'}, color},
      },
    ],
  }
}
