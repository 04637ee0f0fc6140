// Per-epoch scalars to TensorBoard (event files under <outDir>/tensorboard) when the
// native backend provides a summary writer; a no-op otherwise.
import path from 'node:path'
import {summaryFileWriter, type ScalarSummaryWriter} from '../backend/summary.js'
import type {EpochMetrics} from './types.js'

const SCALARS: (keyof EpochMetrics)[] = [
  'trainLoss', 'trainTop1Err', 'trainTop5Err', 'valTop1Err', 'valTop5Err', 'lr', 'imgPerS', 'dataWaitFrac',
]

export class EpochBoard {
  private readonly writer: ScalarSummaryWriter | undefined

  constructor(outDir: string) {
    this.writer = summaryFileWriter(path.join(outDir, 'tensorboard'))
  }

  get enabled(): boolean {
    return this.writer !== undefined
  }

  log(m: EpochMetrics): void {
    if (this.writer === undefined) return
    for (const key of SCALARS) {
      const value = m[key]
      if (typeof value === 'number' && Number.isFinite(value)) this.writer.scalar(key, value, m.epoch)
    }
    this.writer.flush()
  }
}
