// LRN follows Krizhevsky's formula with alpha not divided by n (see src/models/layers/lrn.ts).
import assert from 'node:assert/strict'
import {before, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {lrn, LRN_PARAMS} from '../../src/models/layers/lrn.js'

before(async () => {
  await initBackend()
})

it('b_i = a_i / (2 + 1e-4 * sum_{|j-i|<=2} a_j^2)^0.75', () => {
  const a = Array.from({length: 8}, (_, i) => 20 * (i + 1))
  const x = tf.tensor4d(a, [1, 1, 1, 8])
  const got = lrn(x).dataSync()
  const {depthRadius, bias, alpha, beta} = LRN_PARAMS
  assert.deepEqual([depthRadius * 2 + 1, bias, alpha, beta], [5, 2, 1e-4, 0.75])
  a.forEach((ai, i) => {
    let sum = 0
    for (let j = Math.max(0, i - 2); j <= Math.min(7, i + 2); j++) sum += a[j] * a[j]
    const want = ai / Math.pow(2 + 1e-4 * sum, 0.75)
    assert.ok(Math.abs(got[i] - want) <= 1e-5 * Math.abs(want), `channel ${i}: ${got[i]} vs ${want}`)
  })
  x.dispose()
})
