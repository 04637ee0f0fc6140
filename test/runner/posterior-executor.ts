// A stand-in trainer whose evaluations write real posterior files: each image is wrong
// or right by a deterministic draw from (net config, training seed, technique, Q,
// image), with an error rate per config plus a per-seed offset, so rows differ, seeds
// of one net differ, and the claims pair rows image by image. Combinations average the
// files as the real executor does.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {errorsFromPosteriors} from '../../src/eval/error-rates.js'
import {writePosteriors} from '../../src/eval/posteriors-file.js'
import type {Posteriors} from '../../src/eval/types.js'
import type {Executor} from '../../src/runner/executor.js'
import {combinePosteriors} from '../../src/runner/real-executor.js'
import type {TrainJob} from '../../src/train/types.js'
import {hashKey} from '../../src/util/prng.js'

export const IMAGES = 60
const CLASSES = 4
const RATE: Record<string, number> = {A: 0.4, 'A-LRN': 0.41, B: 0.38, C: 0.37, D: 0.35, E: 0.34}

function draw(...parts: number[]): number {
  return hashKey(...parts) / 2 ** 32
}

const code = (s: string) => [...s].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7)

export function posteriorsFor(config: string, seed: number, technique: string, q: number): Posteriors {
  const data = new Float32Array(IMAGES * CLASSES)
  const labels = new Int32Array(IMAGES)
  const rate = RATE[config] + 0.03 * (draw(code(config), seed) - 0.5)
  for (let i = 0; i < IMAGES; i++) {
    const label = i % CLASSES
    labels[i] = label
    // Mostly the net's own verdict on the image (same for every technique and Q), sometimes the evaluation's.
    const u = draw(code(technique), q, i) < 0.2 ? draw(code(config), seed, code(technique), q, i) : draw(code(config), seed, i)
    const wrong = u < rate
    for (let c = 0; c < CLASSES; c++) data[i * CLASSES + c] = 0.1
    data[i * CLASSES + (wrong ? (label + 1) % CLASSES : label)] = 0.7
  }
  return {classes: ['a', 'b', 'c', 'd'], ids: Array.from({length: IMAGES}, (_, i) => `val/${i % CLASSES}/${i}.jpg`), labels, data, n: IMAGES, technique, scales: [q], checkpoints: [], skipped: []}
}

export function posteriorExecutor(): Executor & {trained: TrainJob[]} {
  const trained: TrainJob[] = []
  return {
    trained,
    async train(job) {
      trained.push(job)
      mkdirSync(job.outDir, {recursive: true})
      const checkpoint = path.join(job.outDir, 'checkpoint.json')
      writeFileSync(checkpoint, JSON.stringify({config: job.net.config, seed: job.seed}))
      return {checkpoint, epochs: job.maxEpochs, stoppedBy: 'epochs', valTop1Err: 50, valTop5Err: 10, metricsPath: path.join(job.outDir, 'metrics.csv'), wallMs: 5}
    },
    async evaluate(req) {
      const net = JSON.parse(readFileSync(req.checkpoint, 'utf8')) as {config: string; seed: number}
      mkdirSync(req.outDir, {recursive: true})
      const posteriors = path.join(req.outDir, 'posteriors.bin')
      const p = posteriorsFor(net.config, net.seed, req.technique, req.scale)
      await writePosteriors(posteriors, p)
      const e = errorsFromPosteriors(p)
      return {posteriors, n: e.n, skipped: 0, top1Err: e.top1Err, top5Err: e.top5Err, top1Ci: e.top1Ci, top5Ci: e.top5Ci}
    },
    combine: combinePosteriors,
  }
}
