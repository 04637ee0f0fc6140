// CPU cost of the training input per image: loadTrainSample (read, decode with
// shrink-on-load, resize, crop, flip, colour shift) one image at a time. On a 2-core
// machine every decode millisecond is taken from the training step.
import {drawAugment} from '../data/augment.js'
import type {ImageFolderIndex} from '../data/image-folder.js'
import type {DatasetStats} from '../data/stats.js'
import {loadTrainSample} from '../data/train-sample.js'
import {median} from './stats.js'

export interface DecodeSpeed {
  images: number
  /** median wall ms per image, one at a time */
  msPerImage: number
  /** CPU ms (user + system, all threads) per image */
  cpuMsPerImage: number
}

export async function measureDecode(index: ImageFolderIndex, stats: DatasetStats, opts: {crop: number; scale: number; images: number; colorShiftStd: number; seed: number}): Promise<DecodeSpeed> {
  const out = new Float32Array(opts.crop * opts.crop * 3)
  const step = Math.max(1, Math.floor(index.train.length / opts.images))
  const samples = index.train.filter((_, i) => i % step === 0).slice(0, opts.images)
  const augment = {scaleMin: opts.scale, scaleMax: opts.scale, colorShiftStd: opts.colorShiftStd}
  // Warm-up: sharp/libvips start-up and the file cache.
  for (const s of samples.slice(0, 4)) await loadTrainSample(s.path, drawAugment(opts.seed, 0, 0, augment, stats), opts.crop, out, 0)
  const times: number[] = []
  const cpu0 = process.cpuUsage()
  for (const [i, s] of samples.entries()) {
    const t0 = performance.now()
    await loadTrainSample(s.path, drawAugment(opts.seed, 0, i, augment, stats), opts.crop, out, 0)
    times.push(performance.now() - t0)
  }
  const cpu = process.cpuUsage(cpu0)
  return {images: samples.length, msPerImage: median(times), cpuMsPerImage: (cpu.user + cpu.system) / 1000 / samples.length}
}
