import assert from 'node:assert/strict'
import {readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import {averagePosteriors} from '../../src/eval/average.js'
import {EvalInputError} from '../../src/eval/errors.js'
import {fromHalf, toHalf} from '../../src/eval/fp16.js'
import {readPosteriors, writePosteriors} from '../../src/eval/posteriors-file.js'
import type {Posteriors} from '../../src/eval/types.js'
import {tempDir} from './fixtures.js'

function hand(rows: number[][], extra: Partial<Posteriors> = {}): Posteriors {
  const n = rows.length
  return {
    classes: ['cat', 'dog', 'fox', 'owl'],
    ids: rows.map((_, i) => `val/c/${i}.jpg`),
    labels: Int32Array.from(rows, (_, i) => i % 4),
    data: Float32Array.from(rows.flat()),
    n,
    technique: 'dense',
    scales: [256],
    checkpoints: ['runs/D-256.ckpt'],
    skipped: [],
    ...extra,
  }
}

describe('posteriors files', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({dir, cleanup} = await tempDir()))
  after(async () => cleanup())

  test('float32 round trip keeps every field and value exactly; no temp file left', async () => {
    const p = hand([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [1 / 3, 1 / 3, 1 / 6, 1 / 6]], {
      skipped: [{id: 'val/c/bad.jpg', reason: 'corrupt image: bad header'}],
      datasetId: 'abc123',
    })
    const file = path.join(dir, 'sub', 'a.posteriors')
    await writePosteriors(file, p)
    const q = await readPosteriors(file)
    assert.deepEqual(q, p)
    assert.deepEqual(await readdir(path.dirname(file)), ['a.posteriors'])
  })

  test('float16 storage: within half precision, header intact', async () => {
    const rows = [[0.1, 0.2, 0.3, 0.4], [0.9, 0.05, 0.03, 0.02]]
    const file = path.join(dir, 'h.posteriors')
    await writePosteriors(file, hand(rows), 'float16')
    const q = await readPosteriors(file)
    assert.equal(q.n, 2)
    rows.flat().forEach((v, i) => assert.ok(Math.abs(q.data[i] - v) <= v * 2 ** -11, `${q.data[i]} vs ${v}`))
    for (const v of [0, 1, 0.5, 65504, 2 ** -24, 2 ** -14, -2]) assert.equal(fromHalf(toHalf(v)), v)
    assert.equal(fromHalf(toHalf(1 + 2 ** -11)), 1) // tie rounds to even
    assert.equal(fromHalf(toHalf(1e6)), Infinity)
  })

  test('a non-posteriors file is one clear error', async () => {
    const file = path.join(dir, 'junk.posteriors')
    await writeFile(file, 'hello world, not posteriors')
    await assert.rejects(readPosteriors(file), (e: Error) => e instanceof EvalInputError && /junk\.posteriors: not a valid posteriors file/.test(e.message))
  })

  test('averaging over scales and techniques is the exact equal-weight mean', async () => {
    // Values chosen so every mean is exact in float32.
    const a = hand([[0.5, 0.25, 0.25, 0], [0, 0, 0.5, 0.5]], {technique: 'dense', scales: [256]})
    const b = hand([[0.25, 0.25, 0.5, 0], [0.25, 0.25, 0.25, 0.25]], {technique: 'dense', scales: [384]})
    const c = hand([[0, 1, 0, 0], [0.75, 0, 0, 0.25]], {technique: 'multi-crop', scales: [512]})
    const fa = path.join(dir, 'dense-Q256.posteriors')
    const fb = path.join(dir, 'dense-Q384.posteriors')
    await writePosteriors(fa, a)
    await writePosteriors(fb, b)
    const avg = await averagePosteriors([fa, fb, c])
    // Row 0 is exact in binary; row 1 is the correctly rounded float32 of the exact mean.
    const want = [0.25, 0.5, 0.25, 0, 1 / 3, 1 / 12, 0.25, 1 / 3].map(Math.fround)
    assert.deepEqual(Array.from(avg.data), want)
    assert.equal(avg.technique, 'dense+multi-crop')
    assert.deepEqual(avg.scales, [256, 384, 512])
    assert.deepEqual(avg.ids, a.ids)
    assert.deepEqual(avg.sources?.slice(0, 2), [fa, fb])
  })

  test('fusion of two nets: exact mean, checkpoints listed, nested averages allowed', async () => {
    const d = hand([[0.5, 0.5, 0, 0]], {checkpoints: ['D.ckpt']})
    const e = hand([[0, 0.5, 0.5, 0]], {checkpoints: ['E.ckpt']})
    const e2 = hand([[0, 0, 0, 1]], {checkpoints: ['E.ckpt'], scales: [384]})
    const eAvg = await averagePosteriors([e, e2]) // per-net average first
    const fused = await averagePosteriors([d, eAvg])
    assert.deepEqual(Array.from(fused.data), [0.25, 0.375, 0.125, 0.25])
    assert.deepEqual(fused.checkpoints, ['D.ckpt', 'E.ckpt'])
  })

  test('different class lists or image lists: one line naming both files', async () => {
    const fa = path.join(dir, 'netA.posteriors')
    const fb = path.join(dir, 'netB.posteriors')
    const fc = path.join(dir, 'netC.posteriors')
    await writePosteriors(fa, hand([[1, 0, 0, 0]]))
    await writePosteriors(fb, hand([[1, 0, 0, 0]], {classes: ['cat', 'dog', 'fox', 'emu']}))
    await writePosteriors(fc, hand([[1, 0, 0, 0], [0, 1, 0, 0]]))
    await assert.rejects(averagePosteriors([fa, fb]), (e: Error) => {
      assert.ok(e instanceof EvalInputError)
      assert.equal(e.message.split('\n').length, 1)
      assert.match(e.message, /netA\.posteriors and .*netB\.posteriors: their class lists differ .*#3: owl vs emu/)
      return true
    })
    await assert.rejects(averagePosteriors([fa, fc]), /netA\.posteriors and .*netC\.posteriors: their image lists differ \(1 vs 2 images/)
    await assert.rejects(averagePosteriors([]), EvalInputError)
  })
})
