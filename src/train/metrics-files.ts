// metrics.jsonl and metrics.csv beside the checkpoint. Both are rewritten whole
// (atomically) from the metrics list the checkpoint carries, so after a kill and
// resume they hold exactly one line per completed epoch, never a torn or doubled one.
import path from 'node:path'
import {stringify} from 'csv-stringify/sync'
import {writeFileAtomic} from '../util/atomic-write.js'
import type {EpochMetrics} from './types.js'

export const METRICS_JSONL = 'metrics.jsonl'
export const METRICS_CSV = 'metrics.csv'

const COLUMNS: (keyof EpochMetrics)[] = [
  'epoch', 'step', 'lr', 'trainLoss', 'trainTop1Err', 'trainTop5Err', 'valTop1Err', 'valTop5Err',
  'valN', 'valSkipped', 'trainImages', 'imgPerS', 'dataWaitMs', 'dataWaitFrac', 'epochMs', 'valMs', 'nextLr', 'time',
]

export async function writeMetricsFiles(dir: string, metrics: readonly EpochMetrics[]): Promise<void> {
  const jsonl = metrics.map((m) => JSON.stringify(m) + '\n').join('')
  const csv = stringify(metrics.map((m) => COLUMNS.map((c) => m[c])), {header: true, columns: COLUMNS as string[]})
  await writeFileAtomic(path.join(dir, METRICS_JSONL), [Buffer.from(jsonl, 'utf8')])
  await writeFileAtomic(path.join(dir, METRICS_CSV), [Buffer.from(csv, 'utf8')])
}
