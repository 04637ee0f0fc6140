import assert from 'node:assert/strict'
import {cp, readFile, readdir, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {summaryFileWriter} from '../../src/backend/summary.js'
import {createNet} from '../../src/models/index.js'
import {loadCheckpoint, readCheckpointHeader} from '../../src/train/checkpoint.js'
import {trainNet} from '../../src/train/train-net.js'
import type {EpochMetrics} from '../../src/train/types.js'
import {assertSameTensors} from './compare.js'
import {smokeJob, trainFixture} from './fixtures.js'

const f = trainFixture('trainnet', 24, 4)
const out = (name: string) => path.join(f.scratch, name)

describe('trainNet', () => {
  it('lowers the loss of a smoke net on a learnable set and writes metrics, checkpoint, TensorBoard', async () => {
    // tfjs-node keeps one summary writer (5 resource tensors) per log dir: make it first
    summaryFileWriter(path.join(out('learn'), 'tensorboard'))
    const tensorsBefore = tf.memory().numTensors
    const epochs: EpochMetrics[] = []
    const r = await trainNet(smokeJob(f.data, out('learn'), {maxEpochs: 5}), {quiet: true, onEpoch: (m) => epochs.push(m)})
    assert.equal(r.stoppedBy, 'epochs')
    assert.equal(r.epochs, 5)
    assert.equal(epochs.length, 5)
    // Best later epoch, not the last: at lr 0.01 on 72 images a late spike can happen.
    const later = Math.min(...epochs.slice(1).map((m) => m.trainLoss))
    const curve = `loss ${epochs.map((m) => m.trainLoss.toFixed(3)).join(' -> ')}`
    assert.ok(later < epochs[0].trainLoss * 0.8, curve)
    assert.ok(later < Math.log(3), `below the chance-level loss ln 3: ${curve}`)
    assert.equal(tf.memory().numTensors, tensorsBefore, 'trainNet disposes everything it made')
    const jsonl = (await readFile(r.metricsPath, 'utf8')).trim().split('\n')
    assert.equal(jsonl.length, 5)
    assert.deepEqual(JSON.parse(jsonl[4]), epochs[4])
    const csv = (await readFile(path.join(out('learn'), 'metrics.csv'), 'utf8')).trim().split('\n')
    assert.equal(csv.length, 6)
    assert.match(csv[0], /^epoch,step,lr,trainLoss,/)
    const ckpt = await loadCheckpoint(r.checkpoint)
    assert.equal(ckpt.epoch, 5)
    assert.equal(ckpt.stoppedBy, 'epochs')
    assert.equal(ckpt.metrics.length, 5)
    assert.deepEqual(ckpt.classes, ['blue', 'red', 'stripes'])
    const tb = await readdir(path.join(out('learn'), 'tensorboard'))
    assert.ok(tb.some((n) => n.startsWith('events.out.tfevents')), 'TensorBoard event file')
    for (const m of epochs) {
      assert.ok(m.imgPerS > 0 && m.dataWaitFrac >= 0 && m.dataWaitFrac <= 1)
      assert.ok(m.valN === 3 && m.valTop5Err === 0, 'validated on the 3-image minival')
    }
  })

  it('the schedule and per-epoch validation use the minival only: val/ never changes training', async () => {
    // A copy whose val/ labels are all wrong (class folders rotated): if val/ drove the
    // plateau schedule, lr and weights would differ from the run on the original.
    const swapped = path.join(f.scratch, 'swapped-val')
    await cp(f.data, swapped, {recursive: true})
    const names = ['blue', 'red', 'stripes']
    for (const n of names) await rename(path.join(swapped, 'val', n), path.join(swapped, 'val', `${n}.tmp`))
    for (let i = 0; i < names.length; i++) await rename(path.join(swapped, 'val', `${names[i]}.tmp`), path.join(swapped, 'val', names[(i + 1) % names.length]))
    const job = (root: string, name: string) =>
      smokeJob(root, out(name), {maxEpochs: 4, lr: {kind: 'plateau', initial: 0.01, decayFactor: 0.1, maxDecays: 3, patience: 1, minDelta: 0}})
    const a = await trainNet(job(f.data, 'val-a'), {quiet: true})
    const b = await trainNet(job(swapped, 'val-b'), {quiet: true})
    const [ca, cb] = [await loadCheckpoint(a.checkpoint), await loadCheckpoint(b.checkpoint)]
    const trace = (c: typeof ca) => c.metrics.map((m) => [m.lr, m.nextLr, m.valTop1Err, m.valN])
    assert.deepEqual(trace(cb), trace(ca))
    assert.ok(ca.metrics.every((m) => m.valN === 3))
    for (const [name, v] of ca.weights) assert.deepEqual(cb.weights.get(name)!.data, v.data, name)
  })

  it('returns at once for a finished job, continues when maxEpochs is raised, refuses a different job', async () => {
    const dir = out('learn')
    const again = await trainNet(smokeJob(f.data, dir, {maxEpochs: 5}), {quiet: true})
    assert.equal(again.epochs, 5)
    assert.equal(again.stoppedBy, 'epochs')
    const more = await trainNet(smokeJob(f.data, dir, {maxEpochs: 6}), {quiet: true})
    assert.equal(more.epochs, 6)
    await assert.rejects(trainNet(smokeJob(f.data, dir, {maxEpochs: 7, seed: 8}), {quiet: true}), /different job \(differs in seed\)/)
  })

  it('Ctrl-C (signal) mid-epoch checkpoints the batch position; resuming matches an uninterrupted run bitwise', async () => {
    const job = (dir: string) => smokeJob(f.data, out(dir), {maxEpochs: 3, batchSize: 4})
    const full = await trainNet(job('uninterrupted'), {quiet: true})
    // A signal that turns aborted a few checks after epoch 1 ends: the loop checks it
    // before every batch, so this lands mid-epoch 2 whatever the machine's speed.
    let checks = -1
    const signal = {
      get aborted() {
        return checks >= 0 && ++checks > 5
      },
    } as AbortSignal
    const first = await trainNet(job('interrupted'), {
      quiet: true,
      signal,
      onEpoch: (m) => {
        if (m.epoch === 1) checks = 0
      },
    })
    assert.equal(first.stoppedBy, 'interrupt')
    const h = await readCheckpointHeader(first.checkpoint)
    assert.equal(h.epoch, 1)
    assert.ok(h.batchInEpoch > 0, `interrupted mid-epoch (batch ${h.batchInEpoch})`)
    assert.ok(h.partial !== undefined && h.partial.images > 0)
    // a temp file left by a killed writer is ignored and cleaned up
    await writeFile(`${first.checkpoint}.tmp-1-00000000`, 'torn')
    const resumed = await trainNet(job('interrupted'), {quiet: true})
    assert.equal(resumed.stoppedBy, 'epochs')
    assert.deepEqual(await readdir(out('interrupted')).then((n) => n.filter((x) => x.includes('.tmp-'))), [])
    await assertSameTensors(full.checkpoint, resumed.checkpoint)
    const m = (await readFile(resumed.metricsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochMetrics)
    const fm = (await readFile(full.metricsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochMetrics)
    assert.deepEqual(m.map((x) => [x.epoch, x.step, x.trainImages, x.valTop1Err, x.trainLoss.toFixed(4)]),
      fm.map((x) => [x.epoch, x.step, x.trainImages, x.valTop1Err, x.trainLoss.toFixed(4)]))
  })

  it('a NaN loss stops the net with a clear message and keeps the last good checkpoint', async () => {
    const job = smokeJob(f.data, out('nan'), {maxEpochs: 3, lr: {kind: 'plateau', initial: 1e12, decayFactor: 0.1, maxDecays: 3, patience: 2, minDelta: 0}})
    const r = await trainNet(job, {quiet: true})
    assert.equal(r.stoppedBy, 'nan')
    assert.match(r.message ?? '', /loss became NaN\/Inf in epoch 1 .*last good checkpoint .* \(after epoch 0\) is kept/)
    const ckpt = await loadCheckpoint(r.checkpoint)
    assert.equal(ckpt.epoch, 0)
    // the kept checkpoint is the untouched initial net
    const init = createNet(job.net, {kind: 'glorot'}, job.seed).getWeights()
    for (const [name, w] of init) assert.deepEqual(ckpt.weights.get(name)!.data, w.data, name)
  })
})
