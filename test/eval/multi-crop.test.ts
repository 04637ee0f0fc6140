import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {gridOffsets, multiCropPositions} from '../../src/eval/crop-grid.js'
import {evaluateNet} from '../../src/eval/evaluate-net.js'
import {buildMultiCrops, multiCropPosteriors} from '../../src/eval/multi-crop.js'
import type {VggNet} from '../../src/models/index.js'
import {rng, tinyNet} from './fixtures.js'

describe('multi-crop positions', () => {
  test('5 offsets evenly spaced from 0 to size - crop, both ends included', () => {
    assert.deepEqual(gridOffsets(100, 32), [0, 17, 34, 51, 68])
    assert.deepEqual(gridOffsets(73, 64), [0, 2, 5, 7, 9]) // 2.25, 4.5, 6.75 rounded
    assert.deepEqual(gridOffsets(32, 32), [0, 0, 0, 0, 0])
    assert.deepEqual(gridOffsets(288, 224), [0, 16, 32, 48, 64])
    assert.throws(() => gridOffsets(31, 32))
  })

  test('exactly 50 crops per scale: 25 grid windows, each plain and flipped', () => {
    const pos = multiCropPositions(48, 100, 32)
    assert.equal(pos.length, 50)
    assert.deepEqual(pos.slice(0, 25), pos.slice(25).map((p) => ({...p, flip: false})))
    assert.ok(pos.slice(0, 25).every((p) => !p.flip) && pos.slice(25).every((p) => p.flip))
    const ys = [...new Set(pos.map((p) => p.y))]
    const xs = [...new Set(pos.map((p) => p.x))]
    assert.deepEqual(ys, [0, 4, 8, 12, 16])
    assert.deepEqual(xs, [0, 17, 34, 51, 68])
    assert.equal(new Set(pos.map((p) => `${p.y},${p.x},${p.flip}`)).size, 50)
    // row-major over the grid: y outer, x inner
    assert.deepEqual(pos.slice(0, 6).map((p) => [p.y, p.x]), [[0, 0], [0, 17], [0, 34], [0, 51], [0, 68], [4, 0]])
  })
})

describe('multi-crop tensors and posteriors', () => {
  let net: VggNet
  before(async () => {
    await initBackend()
    net = tinyNet(5)
  })
  after(() => net.dispose())

  test('crop tensor content: pixel values encode (image, y, x, channel)', () => {
    const [B, H, W, crop] = [2, 40, 50, 32]
    const code = (b: number, y: number, x: number, c: number) => b * 100000 + y * 1000 + x * 10 + c
    const data = new Float32Array(B * H * W * 3)
    for (let b = 0; b < B; b++)
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) data[((b * H + y) * W + x) * 3 + c] = code(b, y, x, c)
    const images = tf.tensor4d(data, [B, H, W, 3])
    const crops = buildMultiCrops(images, crop)
    assert.deepEqual(crops.shape, [50 * B, crop, crop, 3])
    const got = crops.dataSync()
    const pos = multiCropPositions(H, W, crop)
    let bad = 0
    for (const [ci, p] of pos.entries()) {
      for (let b = 0; b < B; b++) {
        const row = ci * B + b
        for (let i = 0; i < crop; i++)
          for (let j = 0; j < crop; j++)
            for (let c = 0; c < 3; c++) {
              const x = p.x + (p.flip ? crop - 1 - j : j)
              if (got[((row * crop + i) * crop + j) * 3 + c] !== code(b, p.y + i, x, c)) bad++
            }
      }
    }
    assert.equal(bad, 0)
    tf.dispose([images, crops])
  })

  test('posteriors = mean over the 50 crops of softmax(logits), for any chunk size', () => {
    const r = rng(3)
    const [B, H, W] = [2, 36, 45]
    const data = Float32Array.from({length: B * H * W * 3}, () => r() * 255 - 128)
    const images = tf.tensor4d(data, [B, H, W, 3])
    const pos = multiCropPositions(H, W, 32)
    const expected = tf.tidy(() => {
      const perImage: tf.Tensor[] = []
      for (let b = 0; b < B; b++) {
        const img = tf.slice(images, [b, 0, 0, 0], [1, H, W, 3])
        const crops = pos.map(({y, x, flip}) => {
          const c = tf.slice(img, [0, y, x, 0], [1, 32, 32, 3])
          return flip ? tf.reverse(c, 2) : c
        })
        perImage.push(tf.mean(tf.softmax(net.logits(tf.concat(crops, 0) as tf.Tensor4D, {training: false})), 0))
      }
      return tf.stack(perImage)
    })
    const want = expected.dataSync()
    for (const chunk of [7, 50, 100, 1000]) {
      const before = tf.memory().numTensors
      const got = multiCropPosteriors(net, images, chunk)
      assert.deepEqual(got.shape, [B, 5])
      const g = got.dataSync()
      for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - want[i]) < 1e-6, `chunk ${chunk} [${i}]: ${g[i]} vs ${want[i]}`)
      got.dispose()
      assert.equal(tf.memory().numTensors, before, `chunk ${chunk} leaked tensors`)
    }
    tf.dispose([images, expected])
  })

  test('Q = crop: the repeated windows are computed once and weighted, same result as all 50 crops', () => {
    const r = rng(8)
    for (const [h, w] of [[32, 32], [32, 45], [34, 33]]) {
      const img = tf.tensor4d(Float32Array.from({length: h * w * 3}, () => r() * 255 - 128), [1, h, w, 3])
      const calls: number[] = []
      const spy = {spec: net.spec, logits: (x: tf.Tensor4D, o: {training: boolean}) => (calls.push(x.shape[0]), net.logits(x, o)), denseScoreMap: (x: tf.Tensor4D) => net.denseScoreMap(x)}
      const got = multiCropPosteriors(spy, img, 1000)
      const all50 = tf.tidy(() => tf.mean(tf.softmax(net.logits(buildMultiCrops(img, 32), {training: false})), 0, true))
      const g = got.dataSync()
      const a = all50.dataSync()
      for (let k = 0; k < 5; k++) assert.ok(Math.abs(g[k] - a[k]) < 1e-6, `${h}x${w} class ${k}: ${g[k]} vs ${a[k]}`)
      const distinct = new Set(multiCropPositions(h, w, 32).map((p) => `${p.y},${p.x},${p.flip}`)).size
      assert.deepEqual(calls, [distinct])
      tf.dispose([img, got, all50])
    }
    assert.equal(new Set(multiCropPositions(32, 32, 32).map((p) => `${p.y},${p.x},${p.flip}`)).size, 2)
  })

  test('evaluateNet multi-crop at Q = crop groups many square images per call (2 distinct crops each)', async () => {
    const r = rng(5)
    const imgs = Array.from({length: 6}, () => ({height: 32, width: 32, data: Float32Array.from({length: 32 * 32 * 3}, () => r() * 255 - 128)}))
    const calls: number[] = []
    const spy = {spec: net.spec, logits: (x: tf.Tensor4D, o: {training: boolean}) => (calls.push(x.shape[0]), net.logits(x, o)), denseScoreMap: (x: tf.Tensor4D) => net.denseScoreMap(x)}
    const samples = imgs.map((_, i) => ({id: `i${i}`, path: String(i), label: 0}))
    await evaluateNet({net: spy, samples, classes: ['a', 'b', 'c', 'd', 'e'], technique: 'multi-crop', scale: 32, load: async (p) => imgs[Number(p)], limits: {batchSize: 8}})
    assert.deepEqual(calls, [8, 4]) // groups of 4 images x 2 crops, then the last 2 images
  })

  test('evaluateNet multi-crop: each image alone equals its group result', async () => {
    const r = rng(4)
    const shapes: [number, number][] = [[36, 45], [45, 36], [36, 45], [36, 36]]
    const imgs = shapes.map(([h, w]) => ({height: h, width: w, data: Float32Array.from({length: h * w * 3}, () => r() * 255 - 128)}))
    const samples = imgs.map((_, i) => ({id: `i${i}`, path: String(i), label: i % 5}))
    const run = await evaluateNet({
      net,
      samples,
      classes: ['a', 'b', 'c', 'd', 'e'],
      technique: 'multi-crop',
      scale: 36,
      load: async (p) => imgs[Number(p)],
      limits: {batchSize: 128}, // 2 images per group: images 0 and 2 share one
    })
    assert.equal(run.posteriors.n, 4)
    for (const [i, img] of imgs.entries()) {
      const alone = tf.tidy(() => multiCropPosteriors(net, tf.tensor4d(img.data, [1, img.height, img.width, 3]), 50))
      const a = alone.dataSync()
      for (let k = 0; k < 5; k++) assert.ok(Math.abs(run.posteriors.data[i * 5 + k] - a[k]) < 1e-6)
      alone.dispose()
    }
  })
})
