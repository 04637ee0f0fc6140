import assert from 'node:assert/strict'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CorruptImageError} from '../../src/data/errors.js'
import {loadEvalImage} from '../../src/data/eval-image.js'
import {writeFile} from 'node:fs/promises'
import {GARBAGE, TRUNCATED, makeImageFolder, solid, tempDir} from './fixtures.js'

describe('loadEvalImage', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  const stats = {meanRgb: [100, 100, 100] as [number, number, number]}
  before(async () => {
    tmp = await tempDir()
    await makeImageFolder(tmp.dir)
  })
  after(() => tmp.cleanup())

  it('rescales isotropically so the shorter side is Q, HWC, mean subtracted', async () => {
    const wide = await loadEvalImage(path.join(tmp.dir, 'train/a/wide.jpg'), 32, stats) // 60x40
    assert.deepEqual([wide.width, wide.height], [48, 32])
    assert.equal(wide.data.length, 48 * 32 * 3)
    assert.ok(Math.abs(wide.data[0] - (210 - 100)) < 6 && Math.abs(wide.data[2] - (30 - 100)) < 6)
    const tall = await loadEvalImage(path.join(tmp.dir, 'train/a/tall.JPEG'), 80, stats) // 40x70, upscaled
    assert.deepEqual([tall.width, tall.height], [80, 140])
  })

  it('grayscale, alpha and 16-bit inputs become 3-channel RGB', async () => {
    const g = await loadEvalImage(path.join(tmp.dir, 'train/c/gray.png'), 20, stats)
    assert.equal(g.data.length, 20 * 20 * 3)
    assert.ok(Math.abs(g.data[0] - 28) < 2 && g.data[0] === g.data[1] && g.data[1] === g.data[2])
    const a = await loadEvalImage(path.join(tmp.dir, 'train/b/alpha.webp'), 22, stats)
    assert.equal(a.data.length, a.width * a.height * 3)
    const d = await loadEvalImage(path.join(tmp.dir, 'train/b/deep.png'), 20, stats)
    assert.ok(Math.abs(d.data[2] - (230 - 100)) < 2, String(d.data[2]))
  })

  it('CMYK JPEG becomes sRGB', async () => {
    const file = path.join(tmp.dir, 'cmyk.jpg')
    await writeFile(file, await solid(30, 20, [200, 40, 40]).toColourspace('cmyk').jpeg({quality: 95}).toBuffer())
    const c = await loadEvalImage(file, 20, {meanRgb: [0, 0, 0]})
    assert.deepEqual([c.width, c.height, c.data.length], [30, 20, 30 * 20 * 3])
    assert.ok(c.data[0] > 150 && c.data[1] < 80 && c.data[2] < 80, String(c.data.slice(0, 3)))
  })

  it('throws CorruptImageError for truncated, garbage and missing files', async () => {
    for (const rel of [TRUNCATED, GARBAGE, 'train/a/missing.jpg']) {
      await assert.rejects(loadEvalImage(path.join(tmp.dir, rel), 32, stats), (e: unknown) => {
        assert.ok(e instanceof CorruptImageError)
        assert.equal(e.path, path.join(tmp.dir, rel))
        assert.ok(!e.message.includes('\n'))
        return true
      })
    }
  })
})
