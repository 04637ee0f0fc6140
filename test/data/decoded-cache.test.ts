import assert from 'node:assert/strict'
import {open, readdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {ImageFolderIndex} from '../../src/data/image-folder.js'
import {indexImageFolder} from '../../src/data/image-folder.js'
import {resizeCrop} from '../../src/data/resize-crop.js'
import type {DatasetStats} from '../../src/data/stats.js'
import {TrainBatchStream, type Batch, type TrainStreamOptions} from '../../src/data/train-batch-stream.js'
import {GARBAGE, TRUNCATED, makeImageFolder, ramp, tempDir} from './fixtures.js'

const stats: DatasetStats = {
  meanRgb: [110, 90, 100],
  eigval: [55.46, 4.794, 1.148],
  eigvec: [[0.5675, 0.5808, 0.5836], [-0.7192, 0.0045, 0.6948], [0.4009, -0.814, 0.4203]],
}

async function collect(s: TrainBatchStream, epoch: number): Promise<Batch[]> {
  const out: Batch[] = []
  for await (const b of s.batches(epoch)) out.push(b)
  return out
}

/**
 * Largest, mean and worst per-sample mean absolute pixel difference between two runs of
 * batches; sample counts and labels must match. A crop box off by one pixel on the
 * ramp image, or a wrong flip, moves that sample's mean by several grey levels.
 */
function compare(x: Batch[], y: Batch[]): {max: number; mean: number; worstSample: number} {
  assert.equal(x.length, y.length)
  let max = 0, sum = 0, n = 0, worstSample = 0
  for (let b = 0; b < x.length; b++) {
    assert.equal(x[b].n, y[b].n)
    assert.deepEqual(x[b].labels, y[b].labels)
    const per = x[b].crop * x[b].crop * 3
    for (let s = 0; s < x[b].n; s++) {
      let sampleSum = 0
      for (let i = s * per; i < (s + 1) * per; i++) {
        const d = Math.abs(x[b].images[i] - y[b].images[i])
        max = Math.max(max, d)
        sampleSum += d
      }
      worstSample = Math.max(worstSample, sampleSum / per)
      sum += sampleSum
      n += per
    }
  }
  return {max, mean: sum / n, worstSample}
}

describe('decoded-image cache', () => {
  let data: Awaited<ReturnType<typeof tempDir>>
  let cacheRoot: Awaited<ReturnType<typeof tempDir>>
  let index: ImageFolderIndex
  const base: TrainStreamOptions = {crop: 32, scaleMin: 48, scaleMax: 48, batchSize: 4, seed: 3, workers: 1}
  before(async () => {
    data = await tempDir()
    cacheRoot = await tempDir('vgg-cache-')
    await makeImageFolder(data.dir)
    // A textured image, so resampling differences would show (the other fixtures are flat).
    await writeFile(path.join(data.dir, 'train/a/ramp-big.png'), await ramp(120, 90).png().toBuffer())
    index = await indexImageFolder(data.dir)
  })
  after(async () => {
    await data.cleanup()
    await cacheRoot.cleanup()
  })

  it('fixed S: cached batches equal uncached ones (same geometry, labels, pixels)', async () => {
    const c = new TrainBatchStream(index, stats, {...base, cache: {dir: null}})
    const u = new TrainBatchStream(index, stats, {...base, cache: false})
    try {
      for (const epoch of [0, 1]) {
        const d = compare(await collect(c, epoch), await collect(u, epoch))
        assert.ok(d.max < 1e-3, `max diff ${d.max}`) // the cached image is the image the uncached path crops
      }
      assert.equal(c.cacheInfo().mode, 'memory')
      assert.equal(u.cacheInfo().mode, 'off')
      assert.deepEqual(c.skipped().map((s) => s.path).sort(), u.skipped().map((s) => s.path).sort())
    } finally {
      await Promise.all([c.close(), u.close()])
    }
  })

  it('S jitter: same crop boxes, flips and labels; pixels within a resampling tolerance', async () => {
    const o = {...base, scaleMin: 32, scaleMax: 64}
    const c = new TrainBatchStream(index, stats, {...o, cache: {dir: null}})
    const u = new TrainBatchStream(index, stats, {...o, cache: false})
    try {
      const d = compare(await collect(c, 0), await collect(u, 0))
      if (process.env.DBG) console.log('jitter diff', d)
      // Two resamplings (original -> 64 -> S) instead of one: within a grey level or so
      // here (measured max 1, mean 0.08); on Imagenette the mean is 0.8 (see resize-crop.ts).
      assert.ok(d.worstSample < 1, `worst per-sample mean diff ${d.worstSample}`)
      assert.ok(d.mean < 0.5, `mean diff ${d.mean}`)
      assert.ok(d.max < 4, `max diff ${d.max}`)
    } finally {
      await Promise.all([c.close(), u.close()])
    }
  })

  it('is written once to the dataset cache and reused: a second stream decodes nothing', async () => {
    const opts = {...base, scaleMin: 40, scaleMax: 56, cache: {dir: cacheRoot.dir}}
    const a = new TrainBatchStream(index, stats, opts)
    let first: Batch[]
    try {
      first = await collect(a, 0)
      assert.equal(a.cacheInfo().decodes, index.train.length - 1) // all but the garbage file (header unreadable); the truncated one fails
      await collect(a, 1)
      assert.equal(a.cacheInfo().decodes, index.train.length - 1) // the second epoch only crops
      assert.equal(a.cacheInfo().fromDisk, false)
    } finally {
      await a.close() // waits for the background save
    }
    const files = await readdir(path.join(cacheRoot.dir, 'datasets', index.id))
    assert.deepEqual(files.filter((f) => f.startsWith('decoded-')), ['decoded-56.bin'])
    const b = new TrainBatchStream(index, stats, opts)
    try {
      assert.deepEqual(await collect(b, 0), first) // resume from the disk cache gives identical batches
      const info = b.cacheInfo()
      assert.equal(info.fromDisk, true)
      assert.equal(info.decodes, 0)
      // Both corrupt files are still skipped and reported, from the saved reasons.
      assert.deepEqual(b.skipped().map((s) => path.relative(data.dir, s.path)).sort(), [GARBAGE, TRUNCATED].sort())
      for (const s of b.skipped()) assert.ok(s.reason.length > 0)
    } finally {
      await b.close()
    }
  })

  it('a saved cache damaged after writing (same size) fails its checksum: decoded again, then rewritten', async () => {
    const dir = await tempDir('vgg-cache-damaged-')
    try {
      const opts = {...base, cache: {dir: dir.dir}}
      const a = new TrainBatchStream(index, stats, opts)
      let first: Batch[]
      try {
        first = await collect(a, 0)
      } finally {
        await a.close()
      }
      const file = path.join(dir.dir, 'datasets', index.id, `decoded-${base.scaleMax}.bin`)
      const size = (await stat(file)).size
      // Overwrite the last quarter of the pixels with a grey level no image has.
      const fh = await open(file, 'r+')
      const n = Math.floor(size / 4)
      await fh.write(Buffer.alloc(n, 0x7b), 0, n, size - n)
      await fh.close()
      assert.equal((await stat(file)).size, size)

      const b = new TrainBatchStream(index, stats, opts)
      try {
        assert.deepEqual(await collect(b, 0), first) // the damaged pixels are never used
        const info = b.cacheInfo()
        assert.equal(info.fromDisk, false)
        assert.match(info.reason ?? '', /decoded-48\.bin: pixel bytes do not match the checksum in its header \(damaged\): decoding the images again/)
        assert.ok(info.decodes > 0)
      } finally {
        await b.close()
      }
      // Rewritten whole: the next stream loads it from disk again.
      const c = new TrainBatchStream(index, stats, opts)
      try {
        assert.deepEqual(await collect(c, 0), first)
        assert.equal(c.cacheInfo().fromDisk, true)
      } finally {
        await c.close()
      }
    } finally {
      await dir.cleanup()
    }
  })

  it('corrupt images are skipped and counted with the cache on', async () => {
    const s = new TrainBatchStream(index, stats, {...base, cache: {dir: null}})
    try {
      for (const epoch of [0, 1]) {
        const total = (await collect(s, epoch)).reduce((t, b) => t + b.n, 0)
        assert.equal(total, index.train.length - 2)
      }
      assert.deepEqual(s.skipped().map((x) => path.relative(data.dir, x.path)).sort(), [GARBAGE, TRUNCATED].sort())
    } finally {
      await s.close()
    }
  })

  it('over the memory cap: falls back to decoding every epoch, same batches as uncached', async () => {
    const c = new TrainBatchStream(index, stats, {...base, scaleMin: 32, scaleMax: 64, cache: {dir: cacheRoot.dir, maxBytes: 1000}})
    const u = new TrainBatchStream(index, stats, {...base, scaleMin: 32, scaleMax: 64, cache: false})
    try {
      assert.deepEqual(await collect(c, 0), await collect(u, 0))
      const info = c.cacheInfo()
      assert.equal(info.mode, 'off')
      assert.match(info.reason ?? '', /over the 0 MB cap/)
      await collect(c, 1)
      assert.equal(c.cacheInfo().decodes, 2 * index.train.length) // every file, every epoch
    } finally {
      await Promise.all([c.close(), u.close()])
    }
    const files = await readdir(path.join(cacheRoot.dir, 'datasets', index.id)).catch((): string[] => [])
    assert.ok(!files.includes('decoded-64.bin'))
  })

  it('a subset (maxImages) is cached in memory only', async () => {
    const s = new TrainBatchStream(index, stats, {...base, maxImages: 5, scaleMax: 60, cache: {dir: cacheRoot.dir}})
    try {
      await collect(s, 0)
      await collect(s, 1)
      assert.equal(s.cacheInfo().mode, 'memory')
      assert.ok(s.cacheInfo().decodes <= 5)
    } finally {
      await s.close()
    }
    const files = await readdir(path.join(cacheRoot.dir, 'datasets', index.id))
    assert.ok(!files.includes('decoded-60.bin'))
  })
})

describe('resizeCrop', () => {
  it('at the cached size it copies, flips and adds', () => {
    const px = Uint8Array.from({length: 4 * 3 * 3}, (_, i) => i)
    const out = new Float32Array(2 * 2 * 3)
    resizeCrop(px, {width: 4, height: 3, targetWidth: 4, targetHeight: 3, left: 1, top: 1, crop: 2, flip: true}, [1, 2, 3], out, 0)
    // row 1, columns 2 then 1 (mirrored); row 2 likewise
    const at = (x: number, y: number, c: number) => (y * 4 + x) * 3 + c
    assert.deepEqual([...out], [at(2, 1, 0) + 1, at(2, 1, 1) + 2, at(2, 1, 2) + 3, at(1, 1, 0) + 1, at(1, 1, 1) + 2, at(1, 1, 2) + 3,
      at(2, 2, 0) + 1, at(2, 2, 1) + 2, at(2, 2, 2) + 3, at(1, 2, 0) + 1, at(1, 2, 1) + 2, at(1, 2, 2) + 3])
  })

  it('halving keeps a linear ramp linear away from the edges; a flat image stays flat', () => {
    const w = 32
    const px = new Uint8Array(w * w * 3)
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) px.fill(x * 5, (y * w + x) * 3, (y * w + x) * 3 + 3)
    const out = new Float32Array(16 * 16 * 3)
    resizeCrop(px, {width: w, height: w, targetWidth: 16, targetHeight: 16, left: 0, top: 0, crop: 16, flip: false}, [0, 0, 0], out, 0)
    // output x = 8 is centred on source 16.5, its taps all inside the image
    assert.ok(Math.abs(out[(8 * 16 + 8) * 3] - 82.5) < 1e-6, String(out[(8 * 16 + 8) * 3]))
    const flat = new Uint8Array(w * w * 3).fill(77)
    resizeCrop(flat, {width: w, height: w, targetWidth: 5, targetHeight: 6, left: 1, top: 2, crop: 3, flip: false}, [0, 0, 0], out, 0)
    for (let i = 0; i < 27; i++) assert.ok(Math.abs(out[i] - 77) < 1e-9)
  })

  it('equals a plain 2-D Lanczos-3 sum over every tap, bit for bit (the fast loops change nothing)', () => {
    // Reference: out(y, x) = sum_i v_i(y) * sum_j h_j(x) * px(i, j), taps in ascending order,
    // the same kernel, widening and edge rule as resize-crop.ts, written as plainly as possible.
    const kernel = (src: number, dst: number, from: number, n: number) => {
      const scale = src / dst
      const stretch = Math.max(1, scale)
      const support = 3 * stretch
      const k = Math.ceil(2 * support) + 1
      const lanczos = (x: number) => (x === 0 ? 1 : (3 * Math.sin(Math.PI * x) * Math.sin((Math.PI * x) / 3)) / (Math.PI * x) ** 2)
      return Array.from({length: n}, (_, i) => {
        const centre = (from + i + 0.5) * scale - 0.5
        const lo = Math.ceil(centre - support)
        const taps = Array.from({length: k}, (_, t) => {
          const j = lo + t
          return {j: Math.min(src - 1, Math.max(0, j)), w: Math.abs(j - centre) < support ? lanczos((j - centre) / stretch) : 0}
        })
        const sum = taps.reduce((a, t) => a + t.w, 0)
        return taps.map((t) => ({j: t.j, w: t.w / sum}))
      })
    }
    let seed = 11
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0)
    for (const [w, hgt, tw, th, crop] of [[40, 30, 27, 20, 16], [30, 30, 17, 17, 12], [12, 9, 30, 22, 10], [50, 37, 26, 19, 19]]) {
      const px = Uint8Array.from({length: w * hgt * 3}, () => next() & 255)
      const left = next() % (tw - crop + 1)
      const top = next() % (th - crop + 1)
      const flip = (next() & 1) === 1
      const out = new Float32Array(crop * crop * 3)
      resizeCrop(px, {width: w, height: hgt, targetWidth: tw, targetHeight: th, left, top, crop, flip}, [0.5, -1, 2], out, 0)
      const hk = kernel(w, tw, left, crop)
      const vk = kernel(hgt, th, top, crop)
      for (let y = 0; y < crop; y++)
        for (let x = 0; x < crop; x++)
          for (let c = 0; c < 3; c++) {
            let acc = 0
            for (const v of vk[y]) {
              let row = 0
              for (const h of hk[x]) row += h.w * px[(v.j * w + h.j) * 3 + c]
              acc += v.w * row
            }
            const want = Math.fround(Math.min(255, Math.max(0, acc)) + [0.5, -1, 2][c])
            const got = out[(y * crop + (flip ? crop - 1 - x : x)) * 3 + c]
            assert.ok(Object.is(got, want), `${w}x${hgt} -> ${tw}x${th} crop ${crop} at (${x}, ${y}, ${c}): ${got} vs ${want}`)
          }
    }
  })
})
