// Vega-Lite spec: training curves, one line per net: train loss and minival top-1 error per
// epoch side by side (independent y scales, they have different units).
import type {TopLevelSpec} from 'vega-lite'
import type {CurvePoint} from './metrics-read.js'

interface Datum {
  net: string
  epoch: number
  panel: string
  value: number
}

const LOSS = 'train loss'
const VAL = 'minival top-1 error (%)'

export function curveData(points: readonly CurvePoint[]): Datum[] {
  const out: Datum[] = []
  for (const p of points) {
    if (p.trainLoss !== undefined) out.push({net: p.net, epoch: p.epoch, panel: LOSS, value: p.trainLoss})
    if (p.valTop1Err !== undefined) out.push({net: p.net, epoch: p.epoch, panel: VAL, value: p.valTop1Err})
  }
  return out
}

export function curvesChartSpec(title: string, points: readonly CurvePoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {text: title, anchor: 'start'},
    background: 'white',
    config: {font: 'DejaVu Sans'},
    data: {values: curveData(points)},
    facet: {column: {field: 'panel', type: 'nominal', title: null, sort: [LOSS, VAL], header: {labelFontSize: 12}}},
    resolve: {scale: {y: 'independent'}},
    spec: {
      width: 300,
      height: 220,
      mark: {type: 'line', point: true},
      encoding: {
        x: {field: 'epoch', type: 'quantitative', title: 'epoch', axis: {tickMinStep: 1}},
        y: {field: 'value', type: 'quantitative', title: null, scale: {zero: false}},
        color: {field: 'net', type: 'nominal', title: 'net'},
      },
    },
  }
}
