import assert from 'node:assert/strict'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {ImageFolderIndex} from '../../src/data/image-folder.js'
import {indexImageFolder} from '../../src/data/image-folder.js'
import type {DatasetStats} from '../../src/data/stats.js'
import {defaultDecodeWorkers, TrainBatchStream, type Batch, type TrainStreamOptions} from '../../src/data/train-batch-stream.js'
import {loadTrainSample} from '../../src/data/train-sample.js'
import {GARBAGE, TRUNCATED, makeImageFolder, tempDir} from './fixtures.js'

const stats: DatasetStats = {
  meanRgb: [110, 90, 100],
  eigval: [55.46, 4.794, 1.148],
  eigvec: [[0.5675, 0.5808, 0.5836], [-0.7192, 0.0045, 0.6948], [0.4009, -0.814, 0.4203]],
}

async function collect(s: TrainBatchStream, epoch: number, start = 0): Promise<Batch[]> {
  const out: Batch[] = []
  for await (const b of s.batches(epoch, start)) out.push(b)
  return out
}

describe('TrainBatchStream', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let index: ImageFolderIndex
  const base: TrainStreamOptions = {crop: 32, scaleMin: 32, scaleMax: 48, batchSize: 4, seed: 11}
  let cache: Awaited<ReturnType<typeof tempDir>>
  const savedCacheEnv = process.env.VGG_REPRO_CACHE
  before(async () => {
    tmp = await tempDir()
    // The decoded-image cache is on by default: keep its files out of the user's cache.
    cache = await tempDir('vgg-cache-')
    process.env.VGG_REPRO_CACHE = cache.dir
    await makeImageFolder(tmp.dir)
    index = await indexImageFolder(tmp.dir)
  })
  after(async () => {
    if (savedCacheEnv === undefined) delete process.env.VGG_REPRO_CACHE
    else process.env.VGG_REPRO_CACHE = savedCacheEnv
    await Promise.all([tmp.cleanup(), cache.cleanup()])
  })

  it('keeps crop size and labels; corrupt images are skipped, counted, never fatal', async () => {
    const s = new TrainBatchStream(index, stats, {...base, colorShiftStd: 0, workers: 1})
    try {
      assert.equal(s.batchesPerEpoch, 3) // 12 files, batches of 4
      const batches = await collect(s, 0)
      assert.equal(batches.length, 3)
      let total = 0
      const per = 32 * 32 * 3
      for (const b of batches) {
        assert.equal(b.crop, 32)
        assert.equal(b.images.length, b.n * per)
        assert.equal(b.labels.length, b.n)
        for (let i = 0; i < b.n; i++) {
          // With no colour shift, pixel + mean is the source colour: check it fits the label.
          let r = 0, g = 0, bl = 0
          for (let p = i * per; p < (i + 1) * per; p += 3) {
            r += b.images[p] + 110
            g += b.images[p + 1] + 90
            bl += b.images[p + 2] + 100
          }
          r /= per / 3; g /= per / 3; bl /= per / 3
          const label = b.labels[i]
          if (label === 0) assert.ok(r > bl + 50, `a: ${r} ${g} ${bl}`)
          else if (label === 1) assert.ok(bl > r + 50, `b: ${r} ${g} ${bl}`)
          else assert.ok(Math.abs(r - bl) < 3 && Math.abs(r - g) < 3, `c: ${r} ${g} ${bl}`)
        }
        total += b.n
      }
      assert.equal(total, index.train.length - 2)
      const skipped = s.skipped().map((x) => path.relative(tmp.dir, x.path)).sort()
      assert.deepEqual(skipped, [GARBAGE, TRUNCATED].sort())
      for (const x of s.skipped()) assert.ok(x.reason.length > 0 && !x.reason.includes('\n'))
      await collect(s, 1)
      assert.equal(s.skipped().length, 2) // each file reported once
    } finally {
      await s.close()
    }
  })

  it('same seed gives identical batches whatever the worker count; epochs differ', async () => {
    const a = new TrainBatchStream(index, stats, {...base, workers: 1, prefetch: 1})
    const b = new TrainBatchStream(index, stats, {...base, workers: 2, prefetch: 3})
    try {
      for (const epoch of [0, 1]) {
        const x = await collect(a, epoch)
        const y = await collect(b, epoch)
        assert.deepEqual(x, y)
      }
      const e0 = await collect(a, 0)
      const e1 = await collect(a, 1)
      assert.notDeepEqual(e0.map((q) => q.images), e1.map((q) => q.images))
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('startBatch resumes an epoch with identical batches', async () => {
    const s = new TrainBatchStream(index, stats, {...base, batchSize: 3, workers: 2})
    try {
      const full = await collect(s, 4)
      assert.equal(full.length, 4)
      assert.deepEqual(await collect(s, 4, 2), full.slice(2))
      assert.deepEqual(await collect(s, 4, 4), [])
      // An early exit leaves the stream usable.
      for await (const first of s.batches(4)) {
        assert.deepEqual(first, full[0])
        break
      }
      assert.deepEqual(await collect(s, 4, 1), full.slice(1))
    } finally {
      await s.close()
    }
  })

  it('maxImages trains on a fixed subset; a different seed reorders', async () => {
    const s = new TrainBatchStream(index, stats, {...base, maxImages: 5, batchSize: 2, workers: 1})
    const t = new TrainBatchStream(index, stats, {...base, seed: 12, workers: 1})
    const u = new TrainBatchStream(index, stats, {...base, workers: 1})
    try {
      assert.equal(s.size, 5)
      assert.equal(s.batchesPerEpoch, 3)
      const labels = (bs: Batch[]) => bs.flatMap((b) => [...b.labels])
      const l0 = labels(await collect(s, 0)).sort()
      const l1 = labels(await collect(s, 1)).sort()
      assert.deepEqual(l0, l1) // same subset in every epoch
      assert.notDeepEqual(await collect(t, 0), await collect(u, 0))
    } finally {
      await Promise.all([s.close(), t.close(), u.close()])
    }
  })

  it('close() during an epoch ends the iteration with an error; the shared decode pool stays up for the next stream', async () => {
    const s = new TrainBatchStream(index, stats, {...base, batchSize: 1, workers: 2, prefetch: 2})
    const it = s.batches(0)
    assert.equal((await it.next()).done, false)
    await s.close()
    await assert.rejects(async () => {
      for (;;) if ((await it.next()).done) break
    }, /closed/)
    await assert.rejects(s.batches(0).next(), /closed/)
    const next = new TrainBatchStream(index, stats, {...base, batchSize: 1, workers: 2, prefetch: 2})
    try {
      assert.equal((await collect(next, 0)).length, next.batchesPerEpoch)
    } finally {
      await next.close()
    }
  })

  it('validates options', () => {
    assert.throws(() => new TrainBatchStream(index, stats, {...base, scaleMin: 31}), /scaleMin must be an integer >= 32/)
    assert.throws(() => new TrainBatchStream(index, stats, {...base, scaleMax: 40, scaleMin: 41}), /scaleMax/)
    assert.throws(() => new TrainBatchStream(index, stats, {...base, batchSize: 0}), /batchSize/)
  })

  it('a flipped crop is the mirror image of the unflipped one', async () => {
    const file = path.join(tmp.dir, 'train/a/ramp.png') // 64x40, red ramp
    const per = 32 * 32 * 3
    const plain = new Float32Array(per)
    const flipped = new Float32Array(per)
    const draw = {s: 40, ux: 0.3, uy: 0.5, flip: false, add: [0, 0, 0] as [number, number, number]}
    await loadTrainSample(file, draw, 32, plain, 0)
    await loadTrainSample(file, {...draw, flip: true}, 32, flipped, 0)
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) assert.equal(flipped[(y * 32 + x) * 3 + c], plain[(y * 32 + 31 - x) * 3 + c])
      }
    }
    assert.ok(plain[0] < plain[31 * 3]) // the ramp rises left to right
  })
})

describe('defaultDecodeWorkers', () => {
  it('scale jitter gets a worker per core (every crop is resampled in JS); a fixed S leaves a core to TensorFlow', () => {
    assert.equal(defaultDecodeWorkers(146, 146, 2), 1)
    assert.equal(defaultDecodeWorkers(146, 293, 2), 2)
    assert.equal(defaultDecodeWorkers(256, 256, 8), 7)
    assert.equal(defaultDecodeWorkers(256, 512, 8), 8)
    assert.equal(defaultDecodeWorkers(256, 256, 1), 1, 'never zero workers')
    assert.equal(defaultDecodeWorkers(256, 512, 1), 1)
  })
})
