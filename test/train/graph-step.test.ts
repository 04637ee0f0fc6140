// The graph engine (one TensorFlow session per step) must do what the eager step
// does: same loss and hit counts, and the same weights and momentum after several
// steps, up to float rounding (different kernels sum in different orders).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {graphSessionsAvailable} from '../../src/backend/graph-session.js'
import {createNet} from '../../src/models/index.js'
import type {ConfigName} from '../../src/models/types.js'
import {SgdMomentum} from '../../src/train/sgd-momentum.js'
import {createStepEngine, type StepEngine} from '../../src/train/step-engine.js'

// before describe(): the skip condition needs the chosen backend
await initBackend()

const opts = {momentum: 0.9, weightDecay: 5e-4, dropout: 0.5}

function setup(config: ConfigName, engine: 'graph' | 'eager') {
  const net = createNet({config, widthFactor: 1 / 16, fcWidth: 16, numClasses: 7, crop: 32}, {kind: 'glorot'}, 3)
  const sgd = new SgdMomentum(net.variables, (n) => net.isWeight(n), opts)
  const step: StepEngine = createStepEngine(net, sgd, {...opts, engine})
  return {net, sgd, step, dispose: () => (step.dispose(), sgd.dispose(), net.dispose())}
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 1e-3
  for (const v of a) scale = Math.max(scale, Math.abs(v))
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst / scale
}

describe('graph training step (native TensorFlow)', {skip: !graphSessionsAvailable() && 'needs the native backend'}, () => {
  it('is the default engine on the native backend', () => {
    const s = setup('A', 'graph')
    assert.equal(createStepEngine(s.net, s.sgd, opts).kind, 'graph')
    s.dispose()
  })

  for (const config of ['A', 'A-LRN', 'C'] as ConfigName[]) {
    it(`${config}: same stats, weights and momentum as the eager step after 4 steps`, () => {
      const g = setup(config, 'graph')
      const e = setup(config, 'eager')
      const lr = tf.scalar(0.05)
      for (let s = 0; s < 4; s++) {
        // batch 6, then a ragged last batch of 5: the graph takes any batch size
        const n = s === 3 ? 5 : 6
        const x = tf.randomUniform([n, 32, 32, 3], -100, 100, 'float32', 10 + s) as tf.Tensor4D
        const y = tf.tensor1d(Array.from({length: n}, (_, i) => (i * 3 + s) % 7), 'int32')
        const a = g.step.step(x, y, lr, 100 + s, 0.5)
        const b = e.step.step(x, y, lr, 100 + s, 0.5)
        const [la, t1a, t5a] = a.dataSync()
        const [lb, t1b, t5b] = b.dataSync()
        assert.ok(Math.abs(la - lb) < 1e-3 * Math.max(1, Math.abs(lb)), `step ${s} loss*n ${la} vs ${lb}`)
        assert.deepEqual([t1a, t5a], [t1b, t5b], `step ${s} hits`)
        tf.dispose([x, y, a, b])
      }
      g.step.sync()
      const gm = g.sgd.getState()
      const em = e.sgd.getState()
      for (const [name, w] of e.net.getWeights()) {
        const d = maxRelDiff(g.net.getWeights().get(name)!.data, w.data)
        assert.ok(d < 1e-3, `${name}: weights differ by ${d} (relative to the largest value)`)
        const m = maxRelDiff(gm.get(name)!.data, em.get(name)!.data)
        assert.ok(m < 1e-3, `${name}: momentum differs by ${m}`)
        // and training moved it (a no-op graph would pass the comparison above only if eager did nothing too)
        assert.ok(em.get(name)!.data.some((v) => v !== 0), `${name}: eager momentum is all zero`)
      }
      lr.dispose()
      g.dispose()
      e.dispose()
    })
  }

  it('holds a flat tensor count over 40 steps, syncs included', () => {
    const s = setup('A', 'graph')
    const lr = tf.scalar(0.01)
    const x = tf.randomUniform([4, 32, 32, 3], -100, 100) as tf.Tensor4D
    const y = tf.tensor1d([0, 1, 2, 3], 'int32')
    const run = () => tf.dispose(s.step.step(x, y, lr, 1, 0.5))
    run()
    s.step.sync()
    const before = tf.memory().numTensors
    for (let i = 0; i < 40; i++) {
      run()
      if (i % 10 === 0) s.step.sync()
    }
    assert.equal(tf.memory().numTensors, before)
    tf.dispose([x, y, lr])
    s.dispose()
  })
})
