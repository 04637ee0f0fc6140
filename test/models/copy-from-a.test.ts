// Initialising deeper nets from net A (paper 3.1).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {copyFromA, createNet, type VggNet} from '../../src/models/index.js'
import {TINY} from './helpers.js'

before(async () => {
  await initBackend()
})

const COPIED = ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2', 'fc6', 'fc7', 'fc8'].flatMap((l) => [`${l}/kernel`, `${l}/bias`])

describe('copyFromA', () => {
  let a: VggNet
  before(() => {
    a = createNet({config: 'A', ...TINY}, {kind: 'normal', std: 0.1}, 1)
    // non-zero biases so that copying them is visible
    for (const [name, v] of a.variables) if (name.endsWith('/bias')) v.assign(tf.add(v, 0.5))
  })
  after(() => a.dispose())

  for (const config of ['A-LRN', 'B', 'C', 'D', 'E'] as const) {
    it(`${config}: copied tensors equal A's, the others are untouched`, () => {
      const target = createNet({config, ...TINY}, {kind: 'normal', std: 0.1}, 2)
      try {
        const aw = a.getWeights()
        const beforeCopy = target.getWeights()
        const copied = copyFromA(target, aw)
        assert.deepEqual(copied, COPIED)
        const afterCopy = target.getWeights()
        for (const [name, value] of afterCopy) {
          if (copied.includes(name)) {
            assert.deepEqual(value.data, aw.get(name)!.data, `${name} equals A's`)
          } else {
            assert.deepEqual(value.data, beforeCopy.get(name)!.data, `${name} untouched`)
            const same = aw.get(name)
            if (same !== undefined && name.endsWith('/kernel')) assert.notDeepEqual(value.data, same.data, `${name} differs from A's`)
          }
        }
      } finally {
        target.dispose()
      }
    })
  }

  it('throws naming the layer and both shapes when they differ, and writes nothing', () => {
    const target = createNet({config: 'D', ...TINY, fcWidth: 16}, {kind: 'glorot'}, 2)
    try {
      const beforeCopy = target.getWeights()
      assert.throws(() => copyFromA(target, a.getWeights()), /fc6\/kernel.*\[32,16\].*\[32,32\]/)
      for (const [name, value] of target.getWeights()) assert.deepEqual(value.data, beforeCopy.get(name)!.data)
    } finally {
      target.dispose()
    }
  })
})
