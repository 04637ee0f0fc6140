// Shared fixtures for the eval tests: tiny nets, generated images, temp dirs.
import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import {createNet, type NetSpec, type VggNet} from '../../src/models/index.js'
import {writeCheckpoint, type Checkpoint} from '../../src/train/checkpoint.js'

export const TINY: NetSpec = {config: 'A', widthFactor: 1 / 16, fcWidth: 32, numClasses: 5, crop: 32}

export function tinyNet(numClasses = TINY.numClasses, seed = 7): VggNet {
  return createNet({...TINY, numClasses}, {kind: 'glorot'}, seed)
}

export async function tempDir(prefix = 'vgg-eval-'): Promise<{dir: string; cleanup: () => Promise<void>}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return {dir, cleanup: () => rm(dir, {recursive: true, force: true})}
}

/** Deterministic pseudo-random bytes (mulberry32) so images differ but tests repeat. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function writeImage(file: string, width: number, height: number, seed: number, format: 'png' | 'jpeg' = 'png'): Promise<void> {
  const r = rng(seed)
  const px = Buffer.alloc(width * height * 3)
  for (let i = 0; i < px.length; i++) px[i] = Math.floor(r() * 256)
  await mkdir(path.dirname(file), {recursive: true})
  const img = sharp(px, {raw: {width, height, channels: 3}})
  await (format === 'png' ? img.png() : img.jpeg({quality: 90})).toFile(file)
}

/**
 * ImageFolder dataset: train/ and val/ with `classes` folders; val images of mixed
 * sizes (landscape, portrait, square); `corrupt` bad files appended to class 0 of val.
 */
export async function makeDataset(root: string, classes: string[], perClass: number, corrupt = 0): Promise<void> {
  const sizes: [number, number][] = [[48, 40], [40, 48], [44, 44], [50, 40], [48, 40]]
  let seed = 1
  for (const [c, name] of classes.entries()) {
    await writeImage(path.join(root, 'train', name, 't0.png'), 40, 40, 1000 + c)
    for (let i = 0; i < perClass; i++) {
      const [w, h] = sizes[(c + i) % sizes.length]
      await writeImage(path.join(root, 'val', name, `v${i}.${i % 2 === 0 ? 'png' : 'jpg'}`), w, h, seed++, i % 2 === 0 ? 'png' : 'jpeg')
    }
  }
  for (let i = 0; i < corrupt; i++) {
    await writeFile(path.join(root, 'val', classes[0], `zz-corrupt${i}.jpg`), Buffer.from('this is not a jpeg'))
  }
}

export async function saveTinyCheckpoint(file: string, net: VggNet, classes: string[], meanRgb: [number, number, number] = [120, 110, 100]): Promise<void> {
  const ckpt = {
    net: net.spec,
    epoch: 1,
    step: 1,
    batchInEpoch: 0,
    schedule: {lr: 0.01, decays: 0, bestValTop1Acc: -1, bestEpoch: 0, epochsSinceImprovement: 0},
    rng: {seed: 1, scheme: 'test'},
    inputsHash: 'test',
    metrics: [],
    wallMs: 0,
    job: {} as Checkpoint['job'],
    datasetId: 'test',
    classes,
    meanRgb,
    weights: net.getWeights(),
    momentum: new Map(),
  } satisfies Checkpoint
  await writeCheckpoint(file, ckpt)
}
