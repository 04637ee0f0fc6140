// A training-mode step through tf.variableGrads: finite gradients, no tensor leaks.
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {CONFIG_NAMES, createNet, type VggNet} from '../../src/models/index.js'
import {TINY, images} from './helpers.js'

before(async () => {
  await initBackend()
})

function lossFn(net: VggNet, x: tf.Tensor4D, labels: tf.Tensor2D, step: number): () => tf.Scalar {
  return () => tf.losses.softmaxCrossEntropy(labels, net.logits(x, {training: true, dropoutSeed: step})) as tf.Scalar
}

describe('training-mode forward + backward', () => {
  for (const config of CONFIG_NAMES) {
    it(`${config}: a finite gradient for every variable`, () => {
      const net = createNet({config, ...TINY}, {kind: 'glorot'}, 1)
      const x = images(4, 32, 32)
      const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 3, 5, 9], 'int32'), 10), 'float32') as tf.Tensor2D
      try {
        const {value, grads} = tf.variableGrads(lossFn(net, x, labels, 1), [...net.variables.values()])
        assert.ok(Number.isFinite(value.dataSync()[0]))
        assert.equal(Object.keys(grads).length, net.variables.size)
        for (const [name, v] of net.variables) {
          const g = grads[v.name]
          assert.ok(g !== undefined, `no gradient for ${name}`)
          assert.deepEqual(g.shape, v.shape)
          const finite = tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0])
          assert.equal(finite, 1, `${name} has non-finite gradient`)
        }
        tf.dispose([value, ...Object.values(grads)])
      } finally {
        tf.dispose([x, labels])
        net.dispose()
      }
    })
  }

  it('tf.memory().numTensors stays flat over 50 SGD steps (and the loss falls)', () => {
    const net = createNet({config: 'A-LRN', ...TINY}, {kind: 'glorot'}, 1)
    const x = images(8, 32, 32)
    const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10), 'float32') as tf.Tensor2D
    const vars = [...net.variables.values()]
    const step = (i: number): number => {
      const {value, grads} = tf.variableGrads(lossFn(net, x, labels, i), vars)
      tf.tidy(() => {
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)))
      })
      const loss = value.dataSync()[0]
      tf.dispose([value, ...Object.values(grads)])
      return loss
    }
    try {
      // prime the dense filter cache: after training steps it must be rebuilt, not grow
      net.denseScoreMap(x).dispose()
      const first = step(0)
      const baseline = tf.memory().numTensors
      let last = first
      for (let i = 1; i <= 50; i++) {
        last = step(i)
        assert.equal(tf.memory().numTensors, baseline, `step ${i}`)
      }
      const d = net.denseScoreMap(x)
      d.dispose()
      assert.equal(tf.memory().numTensors, baseline)
      assert.ok(last < first, `loss ${first} -> ${last}`)
    } finally {
      tf.dispose([x, labels])
      net.dispose()
    }
  })
})
