// Evaluation's graph-run forward passes must equal VggNet's eager ones: logits of
// crops, and dense score maps at sizes other than the crop (FC layers as convs).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {graphSessionsAvailable} from '../../src/backend/graph-session.js'
import {GraphForwardNet, createNet, fastForward} from '../../src/models/index.js'
import type {ConfigName} from '../../src/models/index.js'

// before describe(): the skip condition needs the chosen backend
await initBackend()

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])

describe('graph forward for evaluation (native TensorFlow)', {skip: !graphSessionsAvailable() && 'needs the native backend'}, () => {
  for (const config of ['A-LRN', 'C'] as ConfigName[]) {
    it(`${config}: logits and dense score maps equal the eager net's`, () => {
      const net = createNet({config, widthFactor: 1 / 16, fcWidth: 16, numClasses: 5, crop: 64}, {kind: 'glorot'}, 7)
      const fast = fastForward(net)
      assert.ok(fast instanceof GraphForwardNet)
      // crop 64: fc6 is a 2x2 conv in dense mode (the reshape of its kernel is exercised)
      for (const [h, w] of [[64, 64], [80, 112], [110, 73]]) {
        const x = tf.randomUniform([3, h, w, 3], -100, 100, 'float32', h + w) as tf.Tensor4D
        const eager = net.denseScoreMap(x)
        const graph = fast.denseScoreMap(x)
        assert.deepEqual(graph.shape, eager.shape)
        assert.ok(maxDiff(graph, eager) < 1e-3 * Math.max(1, tf.max(tf.abs(eager)).dataSync()[0]), `dense ${h}x${w}`)
        if (h === 64 && w === 64) {
          const l1 = net.logits(x, {training: false})
          const l2 = fast.logits(x, {training: false})
          assert.ok(maxDiff(l1, l2) < 1e-3 * Math.max(1, tf.max(tf.abs(l1)).dataSync()[0]), 'logits')
          tf.dispose([l1, l2])
        }
        tf.dispose([x, eager, graph])
      }
      // a weight change is seen on the next call (weights are fed, not copied in)
      const x = tf.randomUniform([2, 64, 64, 3], -100, 100, 'float32', 1) as tf.Tensor4D
      const a = fast.logits(x, {training: false})
      const w = net.getWeights()
      w.get('fc8/bias')!.data.fill(3)
      net.setWeights(w)
      const b = fast.logits(x, {training: false})
      const eager = net.logits(x, {training: false})
      assert.ok(maxDiff(a, b) > 1, 'the new bias shows')
      assert.ok(maxDiff(b, eager) < 1e-3 * Math.max(1, tf.max(tf.abs(eager)).dataSync()[0]))
      tf.dispose([x, a, b, eager])
      // the graph path itself keeps nothing (the eager net caches its dense filters, so count around graph calls only)
      const y = tf.randomUniform([2, 70, 70, 3]) as tf.Tensor4D
      const crop = tf.slice(y, [0, 0, 0, 0], [2, 64, 64, 3]) as tf.Tensor4D
      const count = tf.memory().numTensors
      for (let i = 0; i < 5; i++) tf.dispose([fast.denseScoreMap(y), fast.logits(crop, {training: false})])
      assert.equal(tf.memory().numTensors, count)
      tf.dispose([y, crop])
      fast.dispose()
      net.dispose()
    })
  }
})
