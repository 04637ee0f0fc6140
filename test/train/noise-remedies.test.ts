// The two noise remedies measured in docs/subset-protocol.md ("Noise remedies", issue 20):
// He initialisation and a linear lr warm-up. Each is a profile key that is off by
// default, so profiles without it keep their jobs and cache keys.
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {fileURLToPath} from 'node:url'
import {ExperimentFileError} from '../../src/experiments/errors.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {fans, initKernel} from '../../src/models/init.js'
import {stageJob, stageLrPolicy} from '../../src/train/job-from-profile.js'
import {loadCheckpoint} from '../../src/train/checkpoint.js'
import {initNet} from '../../src/train/init-net.js'
import {warmedUpLr} from '../../src/train/schedule.js'
import {trainNet} from '../../src/train/train-net.js'
import type {LrPolicy} from '../../src/train/types.js'
import {smokeJob, trainFixture} from './fixtures.js'

const EXPERIMENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments')

const f = trainFixture('remedies', 8, 2)

const moments = (v: Float32Array): {mean: number; sd: number} => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length
  return {mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)}
}

test('He init draws N(0, 2/fan_in): a 3x3x64x128 kernel has SD sqrt(2/576), Glorot a different one', () => {
  const shape = [3, 3, 64, 128]
  assert.deepEqual(fans(shape), [576, 1152])
  const he = moments(initKernel('conv3_1/kernel', shape, {kind: 'he'}, 7))
  const expected = Math.sqrt(2 / 576)
  // 73,728 draws: the sample SD is within 1% of the true one with overwhelming probability
  assert.ok(Math.abs(he.sd / expected - 1) < 0.01, `He SD ${he.sd} vs ${expected}`)
  assert.ok(Math.abs(he.mean) < 0.01 * expected, `He mean ${he.mean}`)
  const glorot = moments(initKernel('conv3_1/kernel', shape, {kind: 'glorot'}, 7))
  const glorotSd = Math.sqrt(6 / (576 + 1152)) / Math.sqrt(3)
  assert.ok(Math.abs(glorot.sd / glorotSd - 1) < 0.01, `Glorot SD ${glorot.sd} vs ${glorotSd}`)
  assert.ok(he.sd / glorot.sd > 1.3, 'He is wider than Glorot on this layer (sqrt(2/576) vs sqrt(2/1728))')
  // fcStd (torchvision's scheme): the convs stay He, an FC kernel [in, out] gets N(0, fcStd^2)
  const heConv = moments(initKernel('conv3_1/kernel', shape, {kind: 'he', fcStd: 0.01}, 7))
  assert.equal(heConv.sd, he.sd)
  const fc = moments(initKernel('fc6/kernel', [1024, 512], {kind: 'he', fcStd: 0.01}, 7))
  assert.ok(Math.abs(fc.sd / 0.01 - 1) < 0.01, `FC SD ${fc.sd}`)
  const fcHe = moments(initKernel('fc6/kernel', [1024, 512], {kind: 'he'}, 7))
  assert.ok(Math.abs(fcHe.sd / Math.sqrt(2 / 1024) - 1) < 0.01, `FC SD without fcStd ${fcHe.sd}`)
  // seeded: same (seed, name) gives the same kernel, another seed another one
  assert.deepEqual(initKernel('fc6/kernel', [64, 32], {kind: 'he'}, 3), initKernel('fc6/kernel', [64, 32], {kind: 'he'}, 3))
  assert.notDeepEqual(initKernel('fc6/kernel', [64, 32], {kind: 'he'}, 3), initKernel('fc6/kernel', [64, 32], {kind: 'he'}, 4))
})

test('warm-up: lr rises linearly over the first W steps to the epoch lr, then stays; no warm-up is the identity', () => {
  const step: LrPolicy = {kind: 'step', initial: 0.01, decayFactor: 0.1, decayAfterEpochs: [2], minLr: 0.001}
  for (const s of [0, 5, 1000]) assert.equal(warmedUpLr(0.01, s, 10, step), 0.01)
  const warm: LrPolicy = {...step, warmupEpochs: 2}
  // W = 2 epochs of 10 batches = 20 steps: step i runs at lr (i + 1) / 20
  const lrs = Array.from({length: 25}, (_, i) => warmedUpLr(0.01, i, 10, warm))
  assert.ok(Math.abs(lrs[0] - 0.01 / 20) < 1e-12)
  assert.ok(Math.abs(lrs[9] - 0.005) < 1e-12)
  for (let i = 1; i < 20; i++) assert.ok(lrs[i] > lrs[i - 1], `rises at step ${i}`)
  for (let i = 19; i < 25; i++) assert.equal(lrs[i], 0.01, `full lr from step ${i}`)
  // a fractional warm-up rounds to whole steps, and never to zero
  assert.equal(warmedUpLr(0.01, 0, 10, {...step, warmupEpochs: 0.01}), 0.01)
  assert.ok(warmedUpLr(0.01, 0, 10, {...step, warmupEpochs: 0.25}) < 0.01)
})

test('warm-up goes to stages that start at lr.initial, never to fine-tunes; the no-warm-up base keeps the jobs measured before the switch', () => {
  const subset = loadProfile('subset', path.join(EXPERIMENTS, 'profiles'))
  const warmup = loadProfile(path.join(EXPERIMENTS, 'ablation', 'subset-warmup.yaml'))
  const noWarmup = loadProfile(path.join(EXPERIMENTS, 'ablation', 'subset-no-warmup.yaml'))
  assert.equal(stageLrPolicy(subset, false, 24).warmupEpochs, 2)
  assert.equal(stageLrPolicy(subset, true, 8).warmupEpochs, undefined)
  assert.ok(!('warmupEpochs' in stageLrPolicy(noWarmup, false, 24)), 'absent stays absent (the cache keys of the runs before the switch)')
  const job = (p: typeof subset, fineTune: boolean) => stageJob(p, {config: 'A', scale: 256, numClasses: 10, fineTune, seed: 1, precision: 'fp32'})
  // since the switch the warm-up probe's jobs are subset's (results/subset-warmup/ = results/subset/)
  for (const fineTune of [false, true]) assert.deepEqual(job(warmup, fineTune), job(subset, fineTune))
  // the no-warm-up base differs from subset only in the lr policy of a first stage
  const {lr: lrWarm, ...restWarm} = job(subset, false)
  const {lr: lrBase, ...restBase} = job(noWarmup, false)
  assert.deepEqual(restWarm, restBase)
  assert.deepEqual({...lrWarm, warmupEpochs: undefined}, {...lrBase, warmupEpochs: undefined})
  assert.deepEqual(job(noWarmup, true), job(subset, true))
  // the probes measured before the switch extend the no-warm-up base
  for (const file of ['subset-seeds8.yaml', 'subset-x3.yaml']) assert.deepEqual(loadProfile(path.join(EXPERIMENTS, 'ablation', file)).lr, noWarmup.lr, file)
  // He: only the init spec differs
  for (const [file, init] of [['subset-he.yaml', {kind: 'he'}], ['subset-he-conv.yaml', {kind: 'he', fcStd: 0.01}]] as const) {
    const he = loadProfile(path.join(EXPERIMENTS, 'ablation', file))
    assert.deepEqual(he.init, init)
    assert.deepEqual({...he, name: '', description: '', init: noWarmup.init, noiseDefaults: noWarmup.noiseDefaults}, {...noWarmup, name: '', description: ''})
  }
})

test('the schema takes init: {kind: he} and lr.warmupEpochs > 0, and rejects a typo or a bad value at its line', () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'vgg-remedy-')), 'profiles')
  cpSync(path.join(EXPERIMENTS, 'profiles'), dir, {recursive: true})
  const file = path.join(dir, 'smoke.yaml')
  const text = readFileSync(file, 'utf8')
  const lineOf = (s: string, needle: string) => s.slice(0, s.indexOf(needle)).split('\n').length
  const messageOf = (content: string): string => {
    writeFileSync(file, content)
    try {
      loadProfile('smoke', dir)
    } catch (error) {
      assert.ok(error instanceof ExperimentFileError, String(error))
      assert.ok(!error.message.includes('\n'), error.message)
      return error.message
    }
    return ''
  }
  const withWarmup = (value: string, key = 'warmupEpochs') => text.replace('  decayFactor: 0.1\n', `  decayFactor: 0.1\n  ${key}: ${value}\n`)
  assert.equal(messageOf(withWarmup('1.5')), '')
  assert.equal(loadProfile('smoke', dir).lr.warmupEpochs, 1.5)
  const typo = withWarmup('2', 'warmupEpoch')
  assert.match(messageOf(typo), new RegExp(`smoke\\.yaml:${lineOf(typo, 'warmupEpoch')}:.*warmupEpoch`))
  const zero = withWarmup('0')
  assert.match(messageOf(zero), new RegExp(`smoke\\.yaml:${lineOf(zero, 'warmupEpochs')}:.*warmupEpochs`))
  assert.ok(/init: \{[^}\n]*\}/.test(text), 'smoke.yaml states its init in one line')
  assert.equal(messageOf(text.replace(/init: \{[^}\n]*\}/, 'init: {kind: he}')), '')
  assert.deepEqual(loadProfile('smoke', dir).init, {kind: 'he'})
  assert.equal(messageOf(text.replace(/init: \{[^}\n]*\}/, 'init: {kind: he, fcStd: 0.01}')), '')
  const extra = text.replace(/init: \{[^}\n]*\}/, 'init: {kind: he, std: 0.01}')
  assert.match(messageOf(extra), new RegExp(`smoke\\.yaml:${lineOf(extra, 'init:')}:.*init`))
})

test('the training loop applies the warm-up: in a long warm-up the weights move a fraction of what they move without', async () => {
  // 24 images at batch 8: 3 steps in the epoch; a 10-epoch warm-up (30 steps) runs them at lr/30, 2lr/30, 3lr/30
  const base = smokeJob(f.data, path.join(f.scratch, 'plain'), {maxEpochs: 1, lr: {kind: 'step', initial: 0.01, decayFactor: 0.1, decayAfterEpochs: [1], minLr: 0.001}})
  const warm = {...base, outDir: path.join(f.scratch, 'warm'), lr: {...base.lr, warmupEpochs: 10}}
  const start = await initNet(base)
  const w0 = start.getWeights()
  start.dispose()
  const moved = async (job: typeof base): Promise<number> => {
    const run = await trainNet(job, {quiet: true})
    const w = (await loadCheckpoint(run.checkpoint)).weights
    let sq = 0
    for (const [name, v] of w0) for (let i = 0; i < v.data.length; i++) sq += (w.get(name)!.data[i] - v.data[i]) ** 2
    return Math.sqrt(sq)
  }
  const [plain, warmed] = [await moved(base), await moved(warm)]
  assert.ok(plain > 0 && warmed > 0, `both train (${plain}, ${warmed})`)
  assert.ok(warmed < 0.5 * plain, `warm-up moved the weights ${warmed}, without ${plain}`)
})
