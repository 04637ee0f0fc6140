import assert from 'node:assert/strict'
import {it} from 'node:test'
import {centerCrop} from '../../src/train/center-crop.js'
import {balancedSubset} from '../../src/data/balanced-subset.js'

it('a capped val set takes classes in turn, deterministically', () => {
  const samples = [0, 0, 0, 0, 1, 1, 2].map((label, i) => ({path: `p${i}`, label}))
  assert.deepEqual(balancedSubset(samples, 5).map((s) => s.path), ['p0', 'p4', 'p6', 'p1', 'p5'])
  assert.equal(balancedSubset(samples, undefined), samples)
  assert.equal(balancedSubset(samples, 99).length, 7)
})

it('centre crop takes the middle rows and columns of an HWC image', () => {
  // 3 x 4 image, value = 10*y + x in every channel; crop 2 -> rows 0..1, cols 1..2
  const h = 3
  const w = 4
  const img = new Float32Array(h * w * 3)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.fill(10 * y + x, (y * w + x) * 3, (y * w + x) * 3 + 3)
  const c = centerCrop(img, h, w, 2)
  assert.deepEqual(Array.from(c.filter((_, i) => i % 3 === 0)), [1, 2, 11, 12])
  assert.throws(() => centerCrop(img, h, w, 4), /smaller than the 4 crop/)
})
