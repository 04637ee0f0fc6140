import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {densePadding, densePosteriors, denseWindows, padForDense} from '../../src/eval/dense.js'
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

  test('a non-square image: zero-padded evenly to multiples of 32, spatial mean of the score map, softmax, flip averaged (by hand)', () => {
    const x = randomImages([1, 40, 72, 3], 2)
    const dense = densePosteriors(net, x)
    const byHand = tf.tidy(() => {
      // 40 -> 64 (12 above, 12 below), 72 -> 96 (12 left, 12 right)
      const padded = tf.pad(x, [[0, 0], [12, 12], [12, 12], [0, 0]])
      const m1 = net.denseScoreMap(padded)
      const m2 = net.denseScoreMap(tf.reverse(padded, 2))
      assert.deepEqual(m1.shape, [1, 2, 3, 5]) // 64/32 and 96/32 cells, fc6 a 1x1 conv at crop 32
      return tf.div(tf.add(tf.softmax(tf.mean(m1, [1, 2])), tf.softmax(tf.mean(m2, [1, 2]))), 2)
    })
    assert.ok(maxAbsDiff(dense.dataSync(), byHand.dataSync()) < 1e-6)
    tf.dispose([x, dense, byHand])
  })

  test('windows at Q = crop + 32k are symmetric: no Q mod 32 margin is lost, none is anchored top-left', () => {
    for (const [crop, k, extraW] of [[32, 1, 10], [64, 1, 22], [64, 2, 0], [96, 3, 14]]) {
      const h = crop + 32 * k
      const w = h + extraW
      const {ys, xs} = denseWindows(h, w, crop)
      assert.equal(ys.length, k + 1)
      assert.deepEqual([ys[0], h - (ys.at(-1)! + crop)], [0, 0], 'the shorter side is tiled exactly')
      // left overhang = right overhang; together they cover the whole width
      assert.equal(0 - xs[0] + 0, xs.at(-1)! + crop - w)
      assert.ok(xs[0] <= 0 && xs.at(-1)! + crop >= w)
    }
    assert.deepEqual(densePadding(73, 110), {top: 11, bottom: 12, left: 9, right: 9})
  })

  test('with mirror-symmetric kernels, the score map of a mirrored image is the mirrored score map (windows symmetric at any width)', () => {
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
    const maps = tf.tidy(() => {
      const a = sym.denseScoreMap(padForDense(x))
      const b = sym.denseScoreMap(padForDense(tf.reverse(x, 2)))
      return [a, tf.reverse(b, 2)]
    })
    assert.deepEqual(maps[0].shape, [1, 2, 3, 5])
    assert.ok(maxAbsDiff(maps[0].dataSync(), maps[1].dataSync()) < 1e-4)
    tf.dispose([x, ...maps])
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
    // batchSize 4 at crop 32: 32x40 inputs allow floor(4*1024/1280) = 3 samples = 1 image + flip.
    const before = tf.memory().numTensors
    const run = await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 32, load, limits: {batchSize: 4}})
    assert.equal(tf.memory().numTensors, before, 'tensors leaked')
    assert.ok(Math.max(...calls) <= 2, `a call had ${Math.max(...calls)} samples`)
    const run2 = await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'dense', scale: 32, load, limits: {batchSize: 64}})
    assert.ok(calls.slice(-3).some((n) => n > 2), 'large batch limit should group same-size images')
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
    assert.deepEqual(calls, [1, 1, 1, 1])
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
