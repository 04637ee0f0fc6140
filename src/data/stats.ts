// Training-set colour statistics: mean RGB (the paper's only preprocessing) and the
// PCA of RGB pixel values for AlexNet's colour-shift augmentation. Cached per dataset id.
import {readFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {datasetCacheDir, defaultCacheDir} from './cache-dir.js'
import {openImage, shorterSideTo, imageSize, toRgb} from './decode.js'
import {symmetricEigen3} from './eigen3.js'
import type {ImageFolderIndex} from './image-folder.js'
import {writeJsonAtomic} from '../util/atomic-write.js'
import {hashKey, permutation} from '../util/prng.js'

export interface DatasetStats {
  /** mean R, G, B of training pixels, 0..255 */
  meanRgb: [number, number, number]
  /**
   * PCA eigenvalues, descending, in the scale AlexNet-style colour shift uses:
   * eigenvalues of the pixel covariance on the [0, 1] scale, times 255 (equivalently
   * the 0..255-scale eigenvalues divided by 255). Then eigvec[k] * alpha * eigval[k]
   * is a shift in 0..255 units, alpha ~ N(0, 0.1) moves the first component by a few
   * grey levels, and ImageNet gives the familiar 55.46, 4.79, 1.15 (= 255 x
   * fb.resnet.torch's 0.2175, 0.0188, 0.0045). Raw 0..255 eigenvalues (~15000) would
   * give absurd shifts; standard deviations would be neither convention.
   */
  eigval: number[]
  /** eigvec[k] is the unit RGB eigenvector of eigval[k] */
  eigvec: number[][]
}

export interface StatsOptions {
  /** cache root (default: defaultCacheDir()) */
  cacheDir?: string
  /** images sampled from train (default 2000) */
  sampleSize?: number
}

const STATS_VERSION = 2
// Images are reduced to this shorter side first: bounds the cost on full-size
// data and matches the scale training sees (the paper's base S).
const STATS_MAX_SIDE = 256

interface StatsFile extends DatasetStats {
  version: number
  id: string
  images: number
  skipped: number
  pixels: number
}

/** Mean RGB and pixel PCA of (a deterministic sample of) the training images, computed once per dataset id. */
export async function datasetStats(index: ImageFolderIndex, opts: StatsOptions = {}): Promise<DatasetStats> {
  const sampleSize = opts.sampleSize ?? 2000
  const dir = datasetCacheDir(index.id, opts.cacheDir ?? defaultCacheDir())
  const file = path.join(dir, sampleSize === 2000 ? 'stats.json' : `stats-${sampleSize}.json`)
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as StatsFile
    if (cached.version === STATS_VERSION && cached.id === index.id) return pick(cached)
  } catch {
    // missing or unreadable: recompute
  }
  const computed = await computeStats(index, sampleSize)
  await writeJsonAtomic(file, computed) // concurrent runs never see half a file
  await writeIndexSummary(dir, index)
  return pick(computed)
}

function pick(s: DatasetStats): DatasetStats {
  return {meanRgb: s.meanRgb, eigval: s.eigval, eigvec: s.eigvec}
}

/** A small human-readable record of which dataset this cache folder belongs to. */
async function writeIndexSummary(dir: string, index: ImageFolderIndex): Promise<void> {
  const summary = {id: index.id, root: index.root, classes: index.classes, train: index.train.length, val: index.val.length}
  await writeJsonAtomic(path.join(dir, 'index.json'), summary)
}

async function computeStats(index: ImageFolderIndex, sampleSize: number): Promise<StatsFile> {
  const n = index.train.length
  const order = permutation(n, hashKey(0x57a7)) // fixed: the sample is a property of the dataset
  const chosen = Array.from(order.subarray(0, Math.min(n, sampleSize))).sort((a, b) => a - b)
  // s[0..2] sums of R,G,B; s[3..8] sums of RR, RG, RB, GG, GB, BB
  const s = new Float64Array(9)
  let pixels = 0
  let images = 0
  let skipped = 0
  let next = 0
  const worker = async () => {
    while (next < chosen.length) {
      const sample = index.train[chosen[next++]]
      let px: Buffer
      try {
        const buf = await readFile(sample.path)
        const size = await imageSize(buf)
        const short = Math.min(size.width, size.height)
        let img = openImage(buf)
        if (short > STATS_MAX_SIDE) {
          const t = shorterSideTo(size.width, size.height, STATS_MAX_SIDE)
          img = img.resize(t.width, t.height, {fit: 'fill', fastShrinkOnLoad: true})
        }
        px = (await toRgb(img)).data
      } catch {
        skipped++
        continue
      }
      accumulate(px, s)
      pixels += px.length / 3
      images++
    }
  }
  await Promise.all(Array.from({length: Math.max(2, os.availableParallelism())}, worker))
  if (pixels === 0) throw new Error(`datasetStats: no readable training image in ${index.root}`)
  const mean = [s[0] / pixels, s[1] / pixels, s[2] / pixels]
  const e = (k: number) => s[k] / pixels
  const cov = [
    [e(3) - mean[0] * mean[0], e(4) - mean[0] * mean[1], e(5) - mean[0] * mean[2]],
    [e(4) - mean[0] * mean[1], e(6) - mean[1] * mean[1], e(7) - mean[1] * mean[2]],
    [e(5) - mean[0] * mean[2], e(7) - mean[1] * mean[2], e(8) - mean[2] * mean[2]],
  ]
  const eig = symmetricEigen3(cov)
  return {
    version: STATS_VERSION,
    id: index.id,
    images,
    skipped,
    pixels,
    meanRgb: [mean[0], mean[1], mean[2]],
    eigval: eig.values.map((v) => Math.max(0, v) / 255),
    eigvec: eig.vectors,
  }
}

function accumulate(px: Buffer, s: Float64Array): void {
  let r = 0, g = 0, b = 0, rr = 0, rg = 0, rb = 0, gg = 0, gb = 0, bb = 0
  for (let i = 0; i < px.length; i += 3) {
    const R = px[i], G = px[i + 1], B = px[i + 2]
    r += R; g += G; b += B
    rr += R * R; rg += R * G; rb += R * B
    gg += G * G; gb += G * B; bb += B * B
  }
  s[0] += r; s[1] += g; s[2] += b
  s[3] += rr; s[4] += rg; s[5] += rb
  s[6] += gg; s[7] += gb; s[8] += bb
}
