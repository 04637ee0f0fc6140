import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Profile} from '../../src/experiments/types.js'
import {parseTrainScale, trainJobFromProfile} from '../../src/train/job-from-profile.js'

const profile: Profile = {
  name: 'p', description: '', dataset: 'imagenette', numClasses: 10, crop: 64, widthFactor: 0.25, fcWidth: 512, batchSize: 64,
  epochs: {base: 4, s384: 2, jitter: 3},
  lr: {initial: 0.01, finetune: 0.001, decayFactor: 0.1, schedule: {kind: 'step', decayAt: [0.5, 0.75, 0.875]}},
  momentum: 0.9, weightDecay: 5e-4, dropout: 0.5, colorShiftStd: 0.1, init: {kind: 'normal', std: 0.1}, minivalImages: 50, evalBatchSize: 64, seed: 1,
  precision: 'auto',
}
const base = {profile, dataRoot: '/d', numClasses: 10, outDir: '/o', precision: 'fp32' as const}

describe('train job from a profile', () => {
  it('parses S and jitter ranges', () => {
    assert.equal(parseTrainScale('256'), 256)
    assert.deepEqual(parseTrainScale('256-512'), [256, 512])
    assert.deepEqual(parseTrainScale('[256;512]'), [256, 512])
    assert.throws(() => parseTrainScale('512-256'), /Smax must be larger/)
    assert.throws(() => parseTrainScale('big'), /expected S/)
  })

  it('A at S=256: random init, lr initial, base epochs, S and Q scaled by crop/224', () => {
    const job = trainJobFromProfile({...base, config: 'A', scale: 256})
    assert.deepEqual(job.init, {from: 'random', spec: {kind: 'normal', std: 0.1}})
    assert.equal(job.scaleMin, 73)
    assert.equal(job.scaleMax, 73)
    assert.equal(job.valScale, 73)
    assert.equal(job.lr.initial, 0.01)
    assert.equal(job.maxEpochs, 4)
    assert.deepEqual(job.net, {config: 'A', widthFactor: 0.25, fcWidth: 512, numClasses: 10, crop: 64})
  })

  it('D from A copies layers at lr initial; S=384 and jitter fine-tune at lr finetune', () => {
    const fromA = trainJobFromProfile({...base, config: 'D', scale: 256, initFrom: {checkpoint: '/a.ckpt', config: 'A'}})
    assert.equal(fromA.init.from, 'A')
    assert.equal(fromA.lr.initial, 0.01)
    const s384 = trainJobFromProfile({...base, config: 'D', scale: 384, initFrom: {checkpoint: '/d256.ckpt', config: 'D'}})
    assert.deepEqual(s384.init, {from: 'checkpoint', checkpoint: '/d256.ckpt'})
    assert.equal(s384.lr.initial, 0.001)
    assert.equal(s384.maxEpochs, 2)
    assert.equal(s384.scaleMin, 110)
    const jit = trainJobFromProfile({...base, config: 'D', scale: [256, 512], initFrom: {checkpoint: '/d384.ckpt', config: 'D'}, epochs: 9})
    assert.deepEqual([jit.scaleMin, jit.scaleMax, jit.valScale], [73, 146, 110])
    assert.equal(jit.maxEpochs, 9)
    assert.throws(() => trainJobFromProfile({...base, config: 'C', scale: 256, initFrom: {checkpoint: '/d.ckpt', config: 'D'}}), /holds a D net/)
  })

  it('step schedule: decays at fractions of the stage, fine-tunes end at the base stage\'s final lr', () => {
    const a = trainJobFromProfile({...base, config: 'A', scale: 256, epochs: 16})
    assert.deepEqual(a.lr, {kind: 'step', initial: 0.01, decayFactor: 0.1, decayAfterEpochs: [8, 12, 14], minLr: 0.01 * 0.1 ** 3})
    const ft = trainJobFromProfile({...base, config: 'A', scale: 384, initFrom: {checkpoint: '/a.ckpt', config: 'A'}, epochs: 8})
    assert.deepEqual(ft.lr, {kind: 'step', initial: 0.001, decayFactor: 0.1, decayAfterEpochs: [4, 6, 7], minLr: 0.01 * 0.1 ** 3})
    assert.equal(a.minivalImages, 50)
  })
})
