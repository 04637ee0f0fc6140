import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {createNet} from '../../src/models/index.js'
import {SgdMomentum} from '../../src/train/sgd-momentum.js'
import {trainStep} from '../../src/train/eager-step.js'
import {topkHits} from '../../src/train/topk-counts.js'

before(async () => {
  await initBackend()
})

describe('SGD with momentum and weight decay', () => {
  it('follows v = mu*v - lr*(g + wd*w), w += v; no decay on biases', () => {
    const vars = new Map<string, tf.Variable>([
      ['l/kernel', tf.variable(tf.tensor1d([1, -2]))],
      ['l/bias', tf.variable(tf.tensor1d([0.5]))],
    ])
    const opt = new SgdMomentum(vars, (n) => n.endsWith('/kernel'), {momentum: 0.9, weightDecay: 0.1})
    const lr = tf.scalar(0.5)
    const g = new Map<string, tf.Tensor>([['l/kernel', tf.tensor1d([1, 1])], ['l/bias', tf.tensor1d([2])]])
    // by hand, kernel[0]: v1 = -0.5*(1+0.1) = -0.55, w1 = 0.45; v2 = 0.9*-0.55 - 0.5*(1+0.045) = -1.0175, w2 = -0.5675
    // bias: v1 = -1, w1 = -0.5; v2 = -0.9 - 1 = -1.9, w2 = -2.4
    opt.apply(g, lr)
    opt.apply(g, lr)
    const k = vars.get('l/kernel')!.dataSync()
    const b = vars.get('l/bias')!.dataSync()
    assert.ok(Math.abs(k[0] - -0.5675) < 1e-6, `kernel ${k[0]}`)
    assert.ok(Math.abs(b[0] - -2.4) < 1e-6, `bias ${b[0]}`)
    const state = opt.getState()
    assert.ok(Math.abs(state.get('l/kernel')!.data[0] - -1.0175) < 1e-6)
    // restoring the buffers into a fresh optimizer continues identically
    const opt2 = new SgdMomentum(vars, (n) => n.endsWith('/kernel'), {momentum: 0.9, weightDecay: 0.1})
    opt2.setState(state)
    assert.deepEqual(opt2.getState(), state)
    for (const t of [...g.values(), lr]) t.dispose()
    opt.dispose()
    opt2.dispose()
    for (const v of vars.values()) v.dispose()
  })

  it('top-k hits count on the backend', () => {
    const logits = tf.tensor2d([[0, 5, 1], [3, 2, 1], [0, 1, 2]])
    const labels = tf.tensor1d([1, 1, 0], 'int32')
    const hits = topkHits(logits, labels)
    // k = min(5, 3 classes) = 3: every label is in the top 3
    assert.deepEqual(Array.from(hits.dataSync()), [1, 3])
    tf.dispose([logits, labels, hits])
  })

  it('a training step leaks no tensors (count flat over 50 steps) and lowers the loss', () => {
    const net = createNet({config: 'A', widthFactor: 1 / 16, fcWidth: 32, numClasses: 3, crop: 32}, {kind: 'glorot'}, 1)
    const opt = new SgdMomentum(net.variables, (n) => net.isWeight(n), {momentum: 0.9, weightDecay: 5e-4})
    const lr = tf.scalar(0.01)
    const x = tf.randomNormal([8, 32, 32, 3], 0, 50, 'float32', 3) as tf.Tensor4D
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32')
    const losses: number[] = []
    let before = 0
    for (let step = 0; step < 50; step++) {
      if (step === 1) before = tf.memory().numTensors // after the first step's lazily made constants
      const sums = trainStep(net, opt, x, y, lr, step + 1, 0.5)
      if (step % 10 === 0 || step === 49) losses.push(sums.dataSync()[0] / 8)
      sums.dispose()
    }
    assert.equal(tf.memory().numTensors, before)
    assert.ok(losses.at(-1)! < losses[0], `loss ${losses.join(' -> ')}`)
    tf.dispose([lr, x, y])
    opt.dispose()
    net.dispose()
  })
})
