import assert from 'node:assert/strict'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {averagePosteriors} from '../../src/eval/average.js'
import {errorsFromPosteriors} from '../../src/eval/error-rates.js'
import {EvalInputError} from '../../src/eval/errors.js'
import {evaluateCheckpoint} from '../../src/eval/evaluate-checkpoint.js'
import {readPosteriors} from '../../src/eval/posteriors-file.js'
import {evaluateTechniqueSet} from '../../src/eval/technique-set.js'
import {makeDataset, saveTinyCheckpoint, tempDir, tinyNet} from './fixtures.js'

const CLASSES = ['n01', 'n02', 'n03']

describe('evaluateCheckpoint', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let ckpt: string
  let data: string
  before(async () => {
    await initBackend()
    ;({dir, cleanup} = await tempDir())
    data = path.join(dir, 'data')
    await makeDataset(data, CLASSES, 4, 1)
    const net = tinyNet(3)
    ckpt = path.join(dir, 'A.ckpt')
    await saveTinyCheckpoint(ckpt, net, CLASSES)
    net.dispose()
  })
  after(async () => cleanup())

  for (const [technique, scale] of [['dense', 32], ['dense', 40], ['multi-crop', 36]] as const) {
    test(`${technique} Q=${scale}: posteriors file, errors, corrupt image skipped and listed`, async () => {
      const out = path.join(dir, `${technique}-${scale}.posteriors`)
      const progress: number[] = []
      const before = tf.memory().numTensors
      const r = await evaluateCheckpoint({checkpoint: ckpt, dataRoot: data, technique, scale, out, onProgress: (p) => progress.push(p.done)})
      assert.equal(tf.memory().numTensors, before, 'tensors leaked')
      assert.equal(r.n, 12)
      assert.equal(r.skipped, 1)
      assert.deepEqual(r.skippedImages.map((s) => s.id), ['val/n01/zz-corrupt0.jpg'])
      assert.match(r.basis, /12 evaluated images; 1 unreadable image skipped/)
      assert.equal(r.posteriors, out)
      assert.ok(r.imgPerS > 0)
      assert.equal(progress.at(-1), 13)
      const p = await readPosteriors(out)
      assert.deepEqual(p.classes, CLASSES)
      assert.equal(p.technique, technique)
      assert.deepEqual(p.scales, [scale])
      assert.deepEqual(p.checkpoints, [ckpt])
      assert.equal(p.ids[0], 'val/n01/v0.png')
      assert.deepEqual(Array.from(p.labels), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
      for (let i = 0; i < p.n; i++) {
        const s = p.data[3 * i] + p.data[3 * i + 1] + p.data[3 * i + 2]
        assert.ok(Math.abs(s - 1) < 1e-5, `row ${i} sums to ${s}`)
      }
      const {top1Err, top5Err, top1Ci} = errorsFromPosteriors(p)
      assert.deepEqual({top1Err, top5Err, top1Ci}, {top1Err: r.top1Err, top5Err: r.top5Err, top1Ci: r.top1Ci})
      assert.equal(r.top5Err, 0) // 3 classes
    })
  }

  test('maxImages evaluates the first N val images', async () => {
    const r = await evaluateCheckpoint({checkpoint: ckpt, dataRoot: data, technique: 'dense', scale: 32, out: path.join(dir, 'max.posteriors'), maxImages: 5})
    assert.equal(r.n + r.skipped, 5)
  })

  test('bad input: one clear line each', async () => {
    const base = {checkpoint: ckpt, dataRoot: data, out: path.join(dir, 'x.posteriors')}
    const oneLine = (re: RegExp) => (e: Error) => e instanceof EvalInputError && re.test(e.message) && !e.message.includes('\n')
    await assert.rejects(evaluateCheckpoint({...base, technique: 'dense', scale: 16}), oneLine(/^test scale Q=16 is smaller than the crop size 32$/))
    await assert.rejects(
      evaluateCheckpoint({...base, technique: 'tencrop' as 'dense', scale: 32}),
      oneLine(/^unknown technique "tencrop": valid techniques are dense, multi-crop$/),
    )
    const set = {...base, crop: 32, outDir: dir}
    await assert.rejects(evaluateTechniqueSet({...set, technique: 'dense', scales: []}), oneLine(/^empty test scale set/))
    await assert.rejects(evaluateTechniqueSet({...set, technique: 'dense+flip', scales: [32]}), oneLine(/^unknown technique "dense\+flip"/))
    await assert.rejects(evaluateTechniqueSet({...set, technique: 'dense', scales: [32, 24]}), oneLine(/Q=24 is smaller than the crop size 32/))
  })

  test('multi-crop+dense over two scales = average of the four per-(technique, Q) files', async () => {
    const outDir = path.join(dir, 'set')
    const r = await evaluateTechniqueSet({checkpoint: ckpt, dataRoot: data, technique: 'multi-crop+dense', scales: [32, 40], crop: 32, outDir})
    assert.equal(r.parts.length, 4)
    assert.deepEqual(r.parts.map((p) => `${p.technique}@${p.scale}`), ['multi-crop@32', 'multi-crop@40', 'dense@32', 'dense@40'])
    const combined = await readPosteriors(r.posteriors)
    assert.equal(combined.technique, 'multi-crop+dense')
    assert.deepEqual(combined.scales, [32, 40])
    const manual = await averagePosteriors(r.parts.map((p) => p.posteriors))
    assert.deepEqual(combined.data, manual.data)
    assert.equal(r.n, 12)
    assert.equal(r.skipped, 1)
  })
})
