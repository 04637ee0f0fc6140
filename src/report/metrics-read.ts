// Training curves from metrics.jsonl (one EpochMetrics object per line, see
// src/train/types.ts). Only the two fields the charts plot are read, so extra or
// changed fields elsewhere in the line do not matter.
import {readFile} from 'node:fs/promises'

export interface CurvePoint {
  net: string
  epoch: number
  trainLoss?: number
  valTop1Err?: number
}

function finite(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined
}

/** Parses what it can; a torn last line (a run killed mid-write) is skipped. */
export function parseMetricsJsonl(net: string, text: string): CurvePoint[] {
  const points: CurvePoint[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let obj: Record<string, unknown>
    try {
      obj = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    const epoch = finite(obj.epoch)
    if (epoch === undefined) continue
    points.push({net, epoch, trainLoss: finite(obj.trainLoss), valTop1Err: finite(obj.valTop1Err)})
  }
  // A resumed run may log an epoch twice; the last write wins.
  const byEpoch = new Map(points.map((p) => [p.epoch, p]))
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch)
}

/** Missing files give no points (the net has not trained yet), not an error. */
export async function readCurves(curves: readonly {net: string; metricsPath: string}[]): Promise<CurvePoint[]> {
  const out: CurvePoint[] = []
  for (const c of curves) {
    let text: string
    try {
      text = await readFile(c.metricsPath, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw e
    }
    out.push(...parseMetricsJsonl(c.net, text))
  }
  return out
}
