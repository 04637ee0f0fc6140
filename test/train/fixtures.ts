// A tiny learnable ImageFolder dataset written as JPEGs into a temp dir: solid red,
// solid blue, and black/white stripes, each with per-image noise and size.
import {mkdtemp, mkdir, rm} from 'node:fs/promises'
import {after, before} from 'node:test'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import {initBackend} from '../../src/backend/backend.js'
import type {TrainJob} from '../../src/train/types.js'

const CLASSES = ['blue', 'red', 'stripes'] as const

function pixels(cls: (typeof CLASSES)[number], w: number, h: number, rand: () => number): Buffer {
  const buf = Buffer.alloc(w * h * 3)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3
      const noise = () => Math.floor(rand() * 40) - 20
      let rgb: [number, number, number]
      if (cls === 'red') rgb = [200, 40, 40]
      else if (cls === 'blue') rgb = [40, 60, 200]
      else rgb = Math.floor(y / 4) % 2 === 0 ? [230, 230, 230] : [20, 20, 20]
      for (let c = 0; c < 3; c++) buf[i + c] = Math.max(0, Math.min(255, rgb[c] + noise()))
    }
  }
  return buf
}

/** Writes <root>/{train,val}/<class>/*.jpg; returns the root. */
export async function makeDataset(perClassTrain = 16, perClassVal = 4): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vgg-train-test-'))
  let s = 12345
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  for (const [split, count] of [['train', perClassTrain], ['val', perClassVal]] as const) {
    for (const cls of CLASSES) {
      const dir = path.join(root, split, cls)
      await mkdir(dir, {recursive: true})
      for (let k = 0; k < count; k++) {
        const w = 40 + Math.floor(rand() * 16)
        const h = 40 + Math.floor(rand() * 16)
        await sharp(pixels(cls, w, h, rand), {raw: {width: w, height: h, channels: 3}})
          .jpeg({quality: 90})
          .toFile(path.join(dir, `${k}.jpg`))
      }
    }
  }
  return root
}

export const NUM_CLASSES = CLASSES.length

/** A smoke-width job (widthFactor 1/16, fcWidth 32, crop 32) on `dataRoot`. */
export function smokeJob(dataRoot: string, outDir: string, over: Partial<TrainJob> = {}): TrainJob {
  return {
    net: {config: 'A', widthFactor: 1 / 16, fcWidth: 32, numClasses: NUM_CLASSES, crop: 32},
    init: {from: 'random', spec: {kind: 'glorot'}},
    dataRoot,
    scaleMin: 36,
    scaleMax: 36,
    batchSize: 8,
    maxEpochs: 3,
    lr: {kind: 'plateau', initial: 0.01, decayFactor: 0.1, maxDecays: 3, patience: 2, minDelta: 0},
    momentum: 0.9,
    weightDecay: 5e-4,
    dropout: 0.5,
    colorShiftStd: 0.1,
    seed: 7,
    valScale: 36,
    minivalImages: 3,
    outDir,
    precision: 'fp32',
    ...over,
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, {recursive: true, force: true})
}

/** For one test file: the backend, a dataset (makeDataset) and a scratch folder, made before its tests and removed after. */
export function trainFixture(name: string, perClassTrain: number, perClassVal: number): {data: string; scratch: string} {
  const f = {data: '', scratch: path.join(os.tmpdir(), `vgg-${name}-${process.pid}`)}
  before(async () => {
    await initBackend()
    f.data = await makeDataset(perClassTrain, perClassVal)
  })
  after(async () => {
    await removeDir(f.data)
    await removeDir(f.scratch)
  })
  return f
}
