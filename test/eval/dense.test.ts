import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {densePadding, densePosteriors, denseWindows, type DenseFit} from '../../src/eval/dense.js'
import {evaluateNet, type EvalImage, type EvalSample} from '../../src/eval/evaluate-net.js'
import type {EvalNet} from '../../src/eval/types.js'
import type {VggNet} from '../../src/models/index.js'
import {rng, tinyNet} from './fixtures.js'

function randomImages(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const r = rng(seed)
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
  for (let i = 0; i < data.length; i++) data[i] = r() * 255 - 128
  return tf.tensor4d(data, shape)
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe('dense evaluation', () => {
  let net: VggNet
  before(async () => {
    await initBackend()
    net = tinyNet(5)
  })
  after(() => net.dispose())

  test('at Q = crop on a square image equals logits + softmax averaged with the flipped crop', () => {
    const x = randomImages([3, 32, 32, 3], 1)
    const dense = densePosteriors(net, x)
    const plain = tf.tidy(() => {
      const a = tf.softmax(net.logits(x, {training: false}))
      const b = tf.softmax(net.logits(tf.reverse(x, 2), {training: false}))
      return tf.div(tf.add(a, b), 2)
    })
    assert.deepEqual(dense.shape, [3, 5])
    const d = dense.dataSync()
    assert.ok(maxAbsDiff(d, plain.dataSync()) < 1e-6, 'dense != plain forward')
    for (let i = 0; i < 3; i++) {
      const s = d[i * 5] + d[i * 5 + 1] + d[i * 5 + 2] + d[i * 5 + 3] + d[i * 5 + 4]
      assert.ok(Math.abs(s - 1) < 1e-5)
    }
    tf.dispose([x, dense, plain])
  })

  test('a non-square image: the four corner-anchored crops of whole cells, each flip-averaged, then averaged (by hand)', () => {
    const x = randomImages([1, 40, 72, 3], 2)
    const dense = densePosteriors(net, x)
    const byHand = tf.tidy(() => {
      // 40 -> 32 rows at y = 0 and 8; 72 -> 64 columns at x = 0 and 8
      const probs = [[0, 0], [0, 8], [8, 0], [8, 8]].map(([y, x0]) => {
        const c = tf.slice(x, [0, y, x0, 0], [1, 32, 64, 3])
        const m1 = net.denseScoreMap(c)
        const m2 = net.denseScoreMap(tf.reverse(c, 2))
        assert.deepEqual(m1.shape, [1, 1, 2, 5])
        return tf.div(tf.add(tf.softmax(tf.mean(m1, [1, 2])), tf.softmax(tf.mean(m2, [1, 2]))), 2)
      })
      return tf.div(tf.addN(probs), 4)
    })
    assert.ok(maxAbsDiff(dense.dataSync(), byHand.dataSync()) < 1e-6)
    // the other fits, by their definitions
    const padded = densePosteriors(net, x, false, 'pad')
    const byPad = tf.tidy(() => densePosteriors(net, tf.pad(x, [[0, 0], [12, 12], [12, 12], [0, 0]]), false, 'top-left'))
    assert.ok(maxAbsDiff(padded.dataSync(), byPad.dataSync()) < 1e-6)
    const cropped = densePosteriors(net, x, false, 'crop')
    const byCrop = tf.tidy(() => densePosteriors(net, tf.slice(x, [0, 4, 4, 0], [1, 32, 64, 3]), false, 'top-left'))
    assert.ok(maxAbsDiff(cropped.dataSync(), byCrop.dataSync()) < 1e-6)
    tf.dispose([x, dense, byHand, padded, byPad, cropped, byCrop])
  })

  test('windows are symmetric and lose no margin: at Q = crop + 32k and any width', () => {
    for (const [crop, k, extraW] of [[32, 1, 10], [64, 1, 22], [64, 2, 0], [96, 3, 14]]) {
      const h = crop + 32 * k
      const w = h + extraW
      for (const fit of ['anchors', 'pad'] as const) {
        const sets = denseWindows(h, w, crop, fit)
        const ys = [...new Set(sets.flatMap((s) => s.ys))].sort((a, b) => a - b)
        const xs = [...new Set(sets.flatMap((s) => s.xs))].sort((a, b) => a - b)
        assert.equal(ys.length, k + 1, `${fit}: rows`)
        assert.deepEqual([ys[0], h - (ys.at(-1)! + crop)], [0, 0], `${fit}: the shorter side is tiled exactly`)
        // left overhang (or inset) = right; together they reach both edges
        assert.equal(0 - xs[0] + 0, xs.at(-1)! + crop - w, `${fit}: symmetric`)
        assert.ok(xs[0] <= 0 && xs.at(-1)! + crop >= w, `${fit}: every column covered`)
      }
      // the bare net (before issue 10) drops the right margin
      const bare = denseWindows(h, w, crop, 'top-left')[0]
      if (extraW % 32 !== 0) assert.ok(bare.xs.at(-1)! + crop < w)
    }
    assert.deepEqual(densePadding(73, 110), {top: 11, bottom: 12, left: 9, right: 9})
  })

  test('with mirror-symmetric kernels, a mirrored image gets the same posteriors (symmetric windows), unlike top-left anchoring', () => {
    // A net whose 3x3 kernels equal their own mirror image commutes with a horizontal
    // flip, provided the windows lie symmetric in the image. Width 72 has 8 pixels
    // beyond 64: windows anchored top-left would drop them on one side only.
    const sym = tinyNet(5, 11)
    const w = sym.getWeights()
    for (const [name, v] of w) {
      if (!name.startsWith('conv') || !name.endsWith('/kernel')) continue
      const [k, , cin, cout] = v.shape
      const at = (r: number, c: number, i: number, o: number) => ((r * k + c) * cin + i) * cout + o
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
        v.data[at(r, c, i, o)] = v.data[at(r, k - 1 - c, i, o)]
      }
    }
    sym.setWeights(w)
    const x = randomImages([1, 64, 72, 3], 3)
    // flip averaging would hide the asymmetry: compare one pass on the image and on its mirror
    const posteriorsOf = (fit: DenseFit) =>
      tf.tidy(() => [densePosteriors(sym, x, false, fit, false), densePosteriors(sym, tf.reverse(x, 2), false, fit, false)])
    for (const fit of ['anchors', 'pad', 'reflect', 'crop'] as const) {
      const [a, b] = posteriorsOf(fit)
      assert.ok(maxAbsDiff(a.dataSync(), b.dataSync()) < 1e-5, fit)
      tf.dispose([a, b])
    }
    const [a, b] = posteriorsOf('top-left')
    assert.ok(maxAbsDiff(a.dataSync(), b.dataSync()) > 1e-4, 'top-left anchoring is not symmetric')
    tf.dispose([x, a, b])
    sym.dispose()
  })

  test('evaluateNet groups images by size, bounds the batch, skips corrupt images, keeps sample order', async () => {
    const sizes: [number, number][] = [[32, 40], [40, 32], [32, 40], [32, 32], [32, 40], [32, 40], [40, 32], [32, 40]]
    const images = new Map<string, EvalImage>()
    const samples: EvalSample[] = sizes.map(([h, w], i) => {
      const t = randomImages([1, h, w, 3], 10 + i)
      images.set(`img${i}`, {data: t.dataSync() as Float32Array, height: h, width: w})
      t.dispose()
      return {id: `id${i}`, path: `img${i}`, label: i % 5}
    })
    samples.splice(3, 0, {id: 'bad', path: 'bad', label: 0})
    const calls: number[] = []
    const spy: EvalNet = {
      spec: net.spec,
      logits: (x, o) => net.logits(x, o),
      denseScoreMap: (x) => {
        calls.push(x.shape[0])
        return net.denseScoreMap(x)
      },
    }
    const load = async (p: string, q: number): Promise<EvalImage> => {
      if (p === 'bad') throw Object.assign(new Error(`corrupt image ${p}: unsupported format`), {name: 'CorruptImageError'})
      const img = images.get(p)!
      assert.equal(Math.min(img.height, img.width), q)
      return img
    }
    // batchSize 4 at crop 32: a 32x40 image is seen as two 32x32 anchored crops, each a
    // call of at most floor(4*1024/1024) = 4 samples = 2 images + their flips.
    const before = tf.memory().numTensors
    const run = await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 32, load, limits: {batchSize: 4}})
    assert.equal(tf.memory().numTensors, before, 'tensors leaked')
    assert.ok(Math.max(...calls) <= 4, `a call had ${Math.max(...calls)} samples`)
    const firstRun = calls.length
    const run2 = await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 32, load, limits: {batchSize: 64}})
    assert.ok(calls.slice(firstRun).some((n) => n > 4), 'large batch limit should group same-size images')
    assert.equal(calls.length > 0, true)

    for (const r of [run, run2]) {
      const p = r.posteriors
      assert.equal(p.n, 8)
      assert.deepEqual(p.ids, sizes.map((_, i) => `id${i}`))
      assert.deepEqual(Array.from(p.labels), sizes.map((_, i) => i % 5))
      assert.deepEqual(p.skipped.map((s) => s.id), ['bad'])
      assert.match(p.skipped[0].reason, /unsupported format/)
      // Same as each image alone.
      for (let i = 0; i < 8; i++) {
        const img = images.get(`img${i}`)!
        const alone = tf.tidy(() => densePosteriors(net, tf.tensor4d(img.data, [1, img.height, img.width, 3])))
        assert.ok(maxAbsDiff(p.data.subarray(i * 5, i * 5 + 5), alone.dataSync()) < 1e-6, `image ${i}`)
        alone.dispose()
      }
    }
  })

  test('a memory budget below two samples runs image and flip as separate calls, same result', async () => {
    const img = randomImages([1, 40, 48, 3], 21)
    const data = img.dataSync() as Float32Array
    const calls: number[] = []
    const spy: EvalNet = {spec: net.spec, logits: (x, o) => net.logits(x, o), denseScoreMap: (x) => (calls.push(x.shape[0]), net.denseScoreMap(x))}
    const load = async (): Promise<EvalImage> => ({data, height: 40, width: 48})
    const samples = [{id: 'a', path: 'a', label: 0}, {id: 'b', path: 'b', label: 1}]
    const run = await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 40, load, limits: {memoryBytes: 1}})
    // 2 images x 4 anchored 32x32 crops (40 -> 32 at y 0, 8; 48 -> 32 at x 0, 16) x (image, flip)
    assert.deepEqual(calls, new Array(16).fill(1))
    const together = densePosteriors(net, img)
    const t = together.dataSync()
    assert.ok(maxAbsDiff(run.posteriors.data.subarray(0, 5), t) < 1e-6)
    assert.ok(maxAbsDiff(run.posteriors.data.subarray(5, 10), t) < 1e-6)
    tf.dispose([img, together])
  })

  test('a load error that is not a corrupt image aborts', async () => {
    const load = async (): Promise<EvalImage> => {
      throw new Error('EACCES: permission denied')
    }
    await assert.rejects(
      evaluateNet({net, samples: [{id: 'x', path: 'x', label: 0}], classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 32, load}),
      /EACCES/,
    )
  })
})
