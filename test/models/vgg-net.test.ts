// VggNet forward passes, dense evaluation, weights round trip, init.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {CONFIG_NAMES, VggNet, countParams, createNet} from '../../src/models/index.js'
import {TINY, images, maxAbs, maxAbsDiff} from './helpers.js'

before(async () => {
  await initBackend()
})

describe('VggNet structure', () => {
  it('every config builds; variables in layer order; count = countParams', () => {
    for (const config of CONFIG_NAMES) {
      const net = createNet({config, ...TINY}, {kind: 'glorot'}, 1)
      try {
        const names = [...net.variables.keys()]
        assert.equal(names[0], 'conv1_1/kernel')
        assert.equal(names[1], 'conv1_1/bias')
        assert.deepEqual(names.slice(-2), ['fc8/kernel', 'fc8/bias'])
        const total = [...net.variables.values()].reduce((s, v) => s + v.size, 0)
        assert.equal(total, countParams(net.spec))
        assert.equal(net.isWeight('fc6/kernel'), true)
        assert.equal(net.isWeight('fc6/bias'), false)
      } finally {
        net.dispose()
      }
    }
  })

  it('two nets with the same layer names coexist (tfjs variable names are global)', () => {
    const a = createNet({config: 'A', ...TINY}, {kind: 'glorot'}, 1)
    const b = createNet({config: 'A', ...TINY}, {kind: 'glorot'}, 1)
    a.dispose()
    b.dispose()
  })
})

describe('init', () => {
  it('is deterministic per seed; normal has the asked std; biases are 0', () => {
    const spec = {config: 'A' as const, ...TINY}
    const a = createNet(spec, {kind: 'normal', std: 0.1}, 7)
    const b = createNet(spec, {kind: 'normal', std: 0.1}, 7)
    const c = createNet(spec, {kind: 'normal', std: 0.1}, 8)
    try {
      const wa = a.getWeights()
      const wb = b.getWeights()
      const wc = c.getWeights()
      for (const [name, value] of wa) assert.deepEqual(value.data, wb.get(name)!.data, name)
      assert.notDeepEqual(wa.get('fc7/kernel')!.data, wc.get('fc7/kernel')!.data)
      const fc6 = wa.get('fc6/kernel')!.data
      const std = Math.sqrt(fc6.reduce((s, v) => s + v * v, 0) / fc6.length)
      assert.ok(Math.abs(std - 0.1) < 0.005, `std ${std}`)
      assert.equal(maxAbs(wa.get('fc6/bias')!.data), 0)
    } finally {
      a.dispose()
      b.dispose()
      c.dispose()
    }
  })

  it('glorot uniform stays within sqrt(6 / (fanIn + fanOut))', () => {
    const net = createNet({config: 'B', ...TINY}, {kind: 'glorot'}, 3)
    try {
      const w = net.getWeights().get('conv2_1/kernel')!
      const [k, , cin, cout] = w.shape
      const limit = Math.sqrt(6 / (k * k * cin + k * k * cout))
      assert.ok(maxAbs(w.data) <= limit * (1 + 1e-6) && maxAbs(w.data) > 0.9 * limit, `max ${maxAbs(w.data)} limit ${limit}`)
    } finally {
      net.dispose()
    }
  })
})

describe('dense evaluation', () => {
  let net: VggNet
  before(() => {
    // crop 64 so fc6 becomes a real 2x2 conv, not a 1x1 one
    net = createNet({config: 'C', ...TINY, crop: 64}, {kind: 'glorot'}, 11)
  })
  after(() => net.dispose())

  it('at Q = crop equals the logits of the same image', () => {
    const x = images(2, 64, 64)
    const logits = net.logits(x, {training: false})
    const dense = net.denseScoreMap(x)
    assert.deepEqual(dense.shape, [2, 1, 1, 10])
    const a = logits.dataSync() as Float32Array
    const b = dense.dataSync() as Float32Array
    assert.ok(maxAbsDiff(a, b) <= 1e-4 * Math.max(1, maxAbs(a)), `diff ${maxAbsDiff(a, b)}`)
    assert.ok(maxAbs(a) > 0)
    tf.dispose([x, logits, dense])
  })

  it('on a larger, non-square image gives the expected score-map size', () => {
    const x = images(1, 96, 160) // 3 x 5 after five pools, fc6 kernel 2 -> 2 x 4
    const dense = net.denseScoreMap(x)
    assert.deepEqual(dense.shape, [1, 2, 4, 10])
    // (no value check against crops: SAME padding makes border features differ)
    const scores = dense.dataSync() as Float32Array
    assert.ok(scores.every(Number.isFinite))
    tf.dispose([x, dense])
  })

  it('follows weight changes (no stale cached fc filters)', () => {
    const x = images(1, 64, 64, 3)
    const first = net.denseScoreMap(x) // primes the cache
    const other = createNet(net.spec, {kind: 'glorot'}, 12)
    net.setWeights(other.getWeights())
    const logits = other.logits(x, {training: false})
    const dense = net.denseScoreMap(x)
    const a = logits.dataSync() as Float32Array
    assert.ok(maxAbsDiff(a, dense.dataSync() as Float32Array) <= 1e-4 * Math.max(1, maxAbs(a)), 'dense uses the new weights')
    assert.ok(maxAbsDiff(a, first.dataSync() as Float32Array) > 1e-3, 'the weights did change')
    tf.dispose([x, first, logits, dense])
    other.dispose()
  })

  it('rejects inputs smaller than the crop', () => {
    const x = images(1, 32, 96)
    assert.throws(() => net.denseScoreMap(x), /H,W >= 64/)
    x.dispose()
  })
})

describe('forward', () => {
  it('logits are deterministic in eval mode; dropout is seeded in training mode', () => {
    const net = createNet({config: 'A-LRN', ...TINY}, {kind: 'glorot'}, 5)
    const x = images(4, 32, 32)
    try {
      const e1 = net.logits(x, {training: false})
      const e2 = net.logits(x, {training: false})
      const t1 = net.logits(x, {training: true, dropoutSeed: 9})
      const t2 = net.logits(x, {training: true, dropoutSeed: 9})
      const t3 = net.logits(x, {training: true, dropoutSeed: 10})
      assert.deepEqual(e1.shape, [4, 10])
      assert.deepEqual(e1.dataSync(), e2.dataSync())
      assert.deepEqual(t1.dataSync(), t2.dataSync())
      assert.notDeepEqual(t1.dataSync(), t3.dataSync())
      assert.notDeepEqual(t1.dataSync(), e1.dataSync())
      tf.dispose([e1, e2, t1, t2, t3])
      assert.throws(() => net.logits(images(1, 64, 64), {training: false}), /\[N,32,32,3\]/)
    } finally {
      x.dispose()
      net.dispose()
    }
  })
})

describe('getWeights / setWeights', () => {
  it('round-trips between nets and checks names and shapes', () => {
    const spec = {config: 'B' as const, ...TINY}
    const a = createNet(spec, {kind: 'glorot'}, 1)
    const b = createNet(spec, {kind: 'glorot'}, 2)
    const x = images(2, 32, 32)
    try {
      const wa = a.getWeights()
      b.setWeights(wa)
      // the net copied the arrays: mutating the source must not change it
      wa.get('fc8/bias')!.data.fill(123)
      const la = a.logits(x, {training: false})
      const lb = b.logits(x, {training: false})
      assert.deepEqual(la.dataSync(), lb.dataSync())
      tf.dispose([la, lb])

      const missing = new Map(wa)
      missing.delete('fc8/bias')
      assert.throws(() => b.setWeights(missing), /missing fc8\/bias/)
      const wrong = new Map(wa)
      wrong.set('fc7/bias', {shape: [3], data: new Float32Array(3)})
      assert.throws(() => b.setWeights(wrong), /fc7\/bias.*expected \[32\], got \[3\]/)
    } finally {
      x.dispose()
      a.dispose()
      b.dispose()
    }
  })

  it('dispose frees every variable', () => {
    const before = tf.memory().numTensors
    const net = createNet({config: 'E', ...TINY}, {kind: 'glorot'}, 1)
    assert.equal(tf.memory().numTensors, before + net.variables.size)
    net.dispose()
    assert.equal(tf.memory().numTensors, before)
  })
})

describe('new VggNet(spec, weights)', () => {
  it('rebuilds a net from loaded weights and rejects mismatched sets', () => {
    const spec = {config: 'C' as const, ...TINY}
    const a = createNet(spec, {kind: 'glorot'}, 4)
    const x = images(2, 32, 32)
    try {
      const numTensors = tf.memory().numTensors
      const b = new VggNet(spec, a.getWeights())
      const la = a.logits(x, {training: false})
      const lb = b.logits(x, {training: false})
      assert.deepEqual(la.dataSync(), lb.dataSync())
      tf.dispose([la, lb])
      b.dispose()
      assert.throws(() => new VggNet({...spec, config: 'D'}, a.getWeights()), /conv3_3\/kernel: expected \[3,3,16,16\], got \[1,1,16,16\]/)
      assert.throws(() => new VggNet({...spec, config: 'B'}, a.getWeights()), /unknown variables: conv3_3\/kernel/)
      assert.equal(tf.memory().numTensors, numTensors, 'failed constructions leak nothing')
    } finally {
      x.dispose()
      a.dispose()
    }
  })
})
