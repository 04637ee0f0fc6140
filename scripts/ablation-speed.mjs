#!/usr/bin/env node
// Training-step speed of the crop ablation's arms (docs/subset-protocol.md), measured
// side by side in one process, rounds interleaved: img/s of the trainer's own step per
// config, compute only (random batches).
//   node scripts/ablation-speed.mjs [crop:width ...]    (default 64:0.25 96:0.1667 128:0.125)
import {initBackend} from '../dist/backend/backend.js'
import {StepRunner, randomBatch} from '../dist/bench/step-runner.js'

const arms = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['64:0.25', '96:0.16666666666666666', '128:0.125']).map((a) => {
  const [crop, width] = a.split(':').map(Number)
  return {crop, width}
})
const configs = ['A', 'A-LRN', 'B', 'C', 'D', 'E']
const batch = 64
const steps = 8
const rounds = 3
await initBackend()
const speeds = new Map()
for (let round = 0; round < rounds; round++) {
  for (const config of configs) {
    for (const {crop, width} of arms) {
      const runner = new StepRunner({spec: {config, widthFactor: width, fcWidth: 512, numClasses: 10, crop}, init: {kind: 'glorot'}, batch, lr: 0.01, momentum: 0.9, weightDecay: 5e-4, dropout: 0.5, seed: 1})
      const {images, labels} = randomBatch(batch, crop, 10, 7)
      for (let i = 0; i < 2; i++) runner.step(images, labels, batch)
      runner.read()
      const t0 = performance.now()
      for (let i = 0; i < steps; i++) runner.step(images, labels, batch)
      runner.read()
      const ips = (steps * batch) / ((performance.now() - t0) / 1000)
      runner.dispose()
      const key = `${config}@${crop}`
      speeds.set(key, [...(speeds.get(key) ?? []), ips])
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`| config | ${arms.map((a) => `crop ${a.crop} (width x${a.width.toFixed(3)}) img/s`).join(' | ')} |`)
console.log(`|---|${arms.map(() => '---:').join('|')}|`)
for (const config of configs) console.log(`| ${config} | ${arms.map((a) => median(speeds.get(`${config}@${a.crop}`)).toFixed(0)).join(' | ')} |`)
