// Evaluation input: the whole image rescaled so its shorter side is Q (no crop), mean subtracted.
import {readFile} from 'node:fs/promises'
import type {DatasetStats} from './stats.js'
import {imageSize, openImage, shorterSideTo, toRgb} from './decode.js'
import {CorruptImageError} from './errors.js'

export interface EvalImage {
  /** HWC RGB, 0..255 minus the training mean */
  data: Float32Array
  height: number
  width: number
}

/** Load one test image at scale Q; any read/decode failure becomes CorruptImageError. */
export async function loadEvalImage(path: string, Q: number, stats: Pick<DatasetStats, 'meanRgb'>): Promise<EvalImage> {
  if (!Number.isInteger(Q) || Q < 1) throw new RangeError(`loadEvalImage: Q must be a positive integer, got ${Q}`)
  let decoded: {data: Buffer; width: number; height: number}
  try {
    const buf = await readFile(path)
    const orig = await imageSize(buf)
    const size = shorterSideTo(orig.width, orig.height, Q)
    // No shrink-on-load here: evaluation favours exact resampling over speed.
    decoded = await toRgb(openImage(buf).resize(size.width, size.height, {fit: 'fill', fastShrinkOnLoad: false}))
  } catch (e) {
    throw new CorruptImageError(path, e instanceof Error ? e.message : String(e))
  }
  const {data: px, width, height} = decoded
  const [mr, mg, mb] = stats.meanRgb
  const data = new Float32Array(px.length)
  for (let i = 0; i < px.length; i += 3) {
    data[i] = px[i] - mr
    data[i + 1] = px[i + 1] - mg
    data[i + 2] = px[i + 2] - mb
  }
  return {data, height, width}
}
