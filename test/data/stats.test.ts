import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {defaultCacheDir} from '../../src/data/cache-dir.js'
import {indexImageFolder} from '../../src/data/image-folder.js'
import {datasetStats} from '../../src/data/stats.js'
import {makeImageFolder, makeSolidFolder, tempDir} from './fixtures.js'

describe('datasetStats', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  before(async () => {
    tmp = await tempDir()
  })
  after(() => tmp.cleanup())

  it('exact mean and PCA on lossless solid colours, cached under datasets/<id>/', async () => {
    const root = path.join(tmp.dir, 'solid')
    // R and B perfectly anti-correlated: one principal component along (1, 0, -1)/sqrt 2
    await makeSolidFolder(root, [[100, 0, 0], [0, 0, 100]])
    const index = await indexImageFolder(root)
    const cacheDir = path.join(tmp.dir, 'cache')
    const s = await datasetStats(index, {cacheDir})
    assert.deepEqual(s.meanRgb, [50, 0, 50])
    // covariance eigenvalue 5000 (0..255 scale) -> 5000 / 255 on the colour-shift scale
    assert.ok(Math.abs(s.eigval[0] - 5000 / 255) < 1e-9)
    assert.ok(Math.abs(s.eigval[1]) < 1e-9 && Math.abs(s.eigval[2]) < 1e-9)
    const v = s.eigvec[0]
    assert.ok(Math.abs(Math.abs(v[0]) - Math.SQRT1_2) < 1e-9 && Math.abs(v[1]) < 1e-9 && Math.abs(v[0] + v[2]) < 1e-9)

    const file = path.join(cacheDir, 'datasets', index.id, 'stats.json')
    const cached = JSON.parse(await readFile(file, 'utf8'))
    assert.equal(cached.images, 2)
    const index2 = JSON.parse(await readFile(path.join(cacheDir, 'datasets', index.id, 'index.json'), 'utf8'))
    assert.equal(index2.id, index.id)
    // A second call reads the cache instead of recomputing.
    cached.meanRgb = [1, 2, 3]
    await writeFile(file, JSON.stringify(cached))
    assert.deepEqual((await datasetStats(index, {cacheDir})).meanRgb, [1, 2, 3])
  })

  it('skips corrupt images and handles grayscale, alpha and 16-bit files', async () => {
    const root = path.join(tmp.dir, 'mixed')
    await makeImageFolder(root)
    const index = await indexImageFolder(root)
    const cacheDir = path.join(tmp.dir, 'cache')
    const s = await datasetStats(index, {cacheDir})
    for (const m of s.meanRgb) assert.ok(m > 0 && m < 255)
    assert.equal(s.eigval.length, 3)
    const cached = JSON.parse(await readFile(path.join(cacheDir, 'datasets', index.id, 'stats.json'), 'utf8'))
    assert.equal(cached.skipped, 2)
    assert.equal(cached.images, index.train.length - 2)
  })

  it('cache dir: VGG_REPRO_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(defaultCacheDir({VGG_REPRO_CACHE: '/a/b', XDG_CACHE_HOME: '/x'}), '/a/b')
    assert.equal(defaultCacheDir({XDG_CACHE_HOME: '/x'}), '/x/vgg-repro')
    assert.match(defaultCacheDir({}), /\.cache\/vgg-repro$/)
  })
})
