import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {drawAugment} from '../../src/data/augment.js'
import {symmetricEigen3} from '../../src/data/eigen3.js'
import {hashKey, permutation, uniformRng} from '../../src/util/prng.js'
import type {DatasetStats} from '../../src/data/stats.js'
import {cropOffset} from '../../src/data/train-sample.js'

const stats: DatasetStats = {
  meanRgb: [120, 110, 100],
  eigval: [55.46, 4.794, 1.148],
  eigvec: [[0.5675, 0.5808, 0.5836], [-0.7192, 0.0045, 0.6948], [0.4009, -0.814, 0.4203]],
}

describe('augmentation draws', () => {
  it('S-jitter draws are integers spanning [Smin, Smax]', () => {
    const seen = new Set<number>()
    for (let pos = 0; pos < 20000; pos++) {
      const d = drawAugment(7, 3, pos, {scaleMin: 256, scaleMax: 512, colorShiftStd: 0.1}, stats)
      assert.ok(Number.isInteger(d.s))
      seen.add(d.s)
    }
    assert.equal(Math.min(...seen), 256)
    assert.equal(Math.max(...seen), 512)
    assert.equal(seen.size, 257) // every integer is reachable
  })

  it('fixed S, flips about half, crop fractions in [0, 1)', () => {
    let flips = 0
    for (let pos = 0; pos < 2000; pos++) {
      const d = drawAugment(1, 0, pos, {scaleMin: 73, scaleMax: 73, colorShiftStd: 0.1}, stats)
      assert.equal(d.s, 73)
      assert.ok(d.ux >= 0 && d.ux < 1 && d.uy >= 0 && d.uy < 1)
      if (d.flip) flips++
    }
    assert.ok(flips > 900 && flips < 1100, `flips ${flips}`)
  })

  it('colour shift: mean subtracted, shift of a few grey levels along PC1', () => {
    const off = drawAugment(1, 0, 0, {scaleMin: 64, scaleMax: 64, colorShiftStd: 0}, stats)
    assert.deepEqual(off.add, [-120, -110, -100])
    let sumSq = 0
    const n = 4000
    for (let pos = 0; pos < n; pos++) {
      const d = drawAugment(2, 0, pos, {scaleMin: 64, scaleMax: 64, colorShiftStd: 0.1}, stats)
      const shift = d.add.map((a, c) => a + stats.meanRgb[c])
      sumSq += shift[0] ** 2 + shift[1] ** 2 + shift[2] ** 2
    }
    // E|shift|^2 = sum_k (0.1 * eigval_k)^2, about 30.9 for these values
    const expected = stats.eigval.reduce((s, v) => s + (0.1 * v) ** 2, 0)
    assert.ok(Math.abs(sumSq / n - expected) / expected < 0.1, `${sumSq / n} vs ${expected}`)
  })

  it('draws depend only on (seed, epoch, position)', () => {
    const o = {scaleMin: 100, scaleMax: 200, colorShiftStd: 0.1}
    assert.deepEqual(drawAugment(5, 2, 17, o, stats), drawAugment(5, 2, 17, o, stats))
    assert.notDeepEqual(drawAugment(5, 2, 17, o, stats), drawAugment(5, 3, 17, o, stats))
    assert.notDeepEqual(drawAugment(5, 2, 17, o, stats), drawAugment(6, 2, 17, o, stats))
  })

  it('crop offsets cover the whole free range', () => {
    assert.equal(cropOffset(100, 64, 0), 0)
    assert.equal(cropOffset(100, 64, 0.999999), 36)
    assert.equal(cropOffset(64, 64, 0.7), 0)
  })
})

describe('prng', () => {
  it('permutation is a deterministic permutation', () => {
    const p = permutation(1000, hashKey(1, 2))
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({length: 1000}, (_, i) => i))
    assert.deepEqual(p, permutation(1000, hashKey(1, 2)))
    assert.notDeepEqual(p, permutation(1000, hashKey(1, 3)))
  })

  it('uniforms look uniform', () => {
    const next = uniformRng(hashKey(42))
    const bins = new Array(10).fill(0)
    for (let i = 0; i < 100000; i++) bins[Math.floor(next() * 10)]++
    for (const b of bins) assert.ok(b > 9500 && b < 10500, String(bins))
  })
})

describe('symmetricEigen3', () => {
  it('recovers A v = lambda v, sorted descending, orthonormal', () => {
    const a = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 1]]
    const {values, vectors} = symmetricEigen3(a)
    assert.ok(values[0] >= values[1] && values[1] >= values[2])
    for (let k = 0; k < 3; k++) {
      const v = vectors[k]
      for (let i = 0; i < 3; i++) {
        const av = a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2]
        assert.ok(Math.abs(av - values[k] * v[i]) < 1e-9)
      }
      for (let j = 0; j < 3; j++) {
        const dot = v[0] * vectors[j][0] + v[1] * vectors[j][1] + v[2] * vectors[j][2]
        assert.ok(Math.abs(dot - (j === k ? 1 : 0)) < 1e-9)
      }
    }
    assert.ok(Math.abs(values.reduce((s, x) => s + x, 0) - 8) < 1e-9) // trace
  })
})
