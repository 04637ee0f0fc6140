import assert from 'node:assert/strict'
import {before, describe, test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {errorsFromPosteriors} from '../../src/eval/error-rates.js'
import {ranksOf, trueClassRanks} from '../../src/eval/ranks.js'
import type {Posteriors} from '../../src/eval/types.js'
import {wilsonInterval, wilsonPercent} from '../../src/eval/wilson.js'
import {rng} from './fixtures.js'

/** Brute force: stable sort by descending score (ties: lower index first, NaN last), then membership in the first k. */
function inTopK(row: number[], label: number, k: number): boolean {
  if (Number.isNaN(row[label])) return false
  const key = (v: number) => (Number.isNaN(v) ? -Infinity : v)
  const order = row.map((_, j) => j).sort((a, b) => key(row[b]) - key(row[a]) || a - b)
  return order.slice(0, k).includes(label)
}

function randomPosteriors(n: number, classes: number, seed: number, levels?: number): Posteriors {
  const r = rng(seed)
  const data = new Float32Array(n * classes)
  for (let i = 0; i < data.length; i++) data[i] = levels === undefined ? r() : Math.floor(r() * levels) / levels
  return {
    classes: Array.from({length: classes}, (_, i) => `c${i}`),
    ids: Array.from({length: n}, (_, i) => `img${i}`),
    labels: Int32Array.from({length: n}, () => Math.floor(r() * classes)),
    data,
    n,
    technique: 'dense',
    scales: [1],
    checkpoints: [],
    skipped: [],
  }
}

describe('top-k errors', () => {
  before(async () => {
    await initBackend()
  })

  for (const [name, levels] of [['continuous', undefined], ['many ties', 4]] as const) {
    test(`match a brute-force count on random posteriors (${name})`, () => {
      for (const [n, classes, seed] of [[500, 12, 1], [300, 4, 2], [257, 100, 3]]) {
        const p = randomPosteriors(n, classes, seed, levels)
        let top1 = 0
        let top5 = 0
        for (let i = 0; i < n; i++) {
          const row = Array.from(p.data.subarray(i * classes, (i + 1) * classes))
          if (!inTopK(row, p.labels[i], 1)) top1++
          if (!inTopK(row, p.labels[i], 5)) top5++
        }
        const e = errorsFromPosteriors(p)
        assert.equal(e.n, n)
        assert.equal(e.top1Err, (100 * top1) / n)
        assert.equal(e.top5Err, (100 * top5) / n)
        assert.deepEqual(e.top1Ci, wilsonPercent(top1, n))
        if (classes <= 5) assert.equal(e.top5Err, 0)
      }
    })
  }

  test('ties: the lower class index ranks first; NaN ranks last; NaN true score is an error', () => {
    const scores = tf.tensor2d([
      [0.5, 0.5, 0, 0], // label 1 ties with class 0 -> rank 1
      [0.5, 0.5, 0, 0], // label 0 -> rank 0
      [NaN, 0.2, 0.1, 0], // label 1: NaN ranks below numbers -> rank 0
      [0.9, NaN, 0.1, 0], // label 1 is NaN -> rank 4 (= classes)
      [0.25, 0.25, 0.25, 0.25], // label 3 -> rank 3
    ])
    const labels = tf.tensor1d([1, 0, 1, 1, 3], 'int32')
    const ranks = trueClassRanks(scores, labels)
    assert.deepEqual(Array.from(ranks.dataSync()), [1, 0, 0, 4, 3])
    tf.dispose([scores, labels, ranks])
  })

  test('chunked ranks equal one-shot ranks', () => {
    const p = randomPosteriors(1000, 7, 9, 3)
    assert.deepEqual(ranksOf(p.data, p.labels, 7, 64), ranksOf(p.data, p.labels, 7))
  })

  test('skipped images are listed and not counted; the result says so', () => {
    const p = {...randomPosteriors(10, 3, 5), skipped: [{id: 'bad.jpg', reason: 'corrupt'}]}
    const e = errorsFromPosteriors(p)
    assert.equal(e.n, 10)
    assert.equal(e.skipped, 1)
    assert.deepEqual(e.skippedImages, [{id: 'bad.jpg', reason: 'corrupt'}])
    assert.match(e.basis, /10 evaluated images; 1 unreadable image skipped/)
  })
})

describe('Wilson 95% intervals', () => {
  // Newcombe (1998), Stat. Med. 17:857, Table I, method 3 (Wilson score without continuity correction).
  const known: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ]
  for (const [x, n, lo, hi] of known) {
    test(`${x}/${n} -> [${lo}, ${hi}]`, () => {
      const [l, h] = wilsonInterval(x, n)
      assert.ok(Math.abs(l - lo) < 6e-5, `lower ${l}`)
      assert.ok(Math.abs(h - hi) < 6e-5, `upper ${h}`)
    })
  }

  test('symmetry, ends, percent and n = 0', () => {
    const [a, b] = wilsonInterval(30, 100)
    const [c, d] = wilsonInterval(70, 100)
    assert.ok(Math.abs(a - (1 - d)) < 1e-12 && Math.abs(b - (1 - c)) < 1e-12)
    assert.equal(wilsonInterval(0, 50)[0], 0)
    assert.equal(wilsonInterval(50, 50)[1], 1)
    const [pl, ph] = wilsonPercent(81, 263)
    assert.ok(Math.abs(pl - 25.53) < 0.006 && Math.abs(ph - 36.62) < 0.006)
    assert.deepEqual(wilsonInterval(0, 0), [0, 1])
    assert.throws(() => wilsonInterval(5, 4), RangeError)
  })
})
