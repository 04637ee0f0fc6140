import assert from 'node:assert/strict'
import {cp, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {indexImageFolder} from '../../src/data/image-folder.js'
import {carveMinival} from '../../src/data/minival.js'
import {makeDataset} from '../train/fixtures.js'

let data: string
let scratch: string
before(async () => {
  data = await makeDataset(7, 2)
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vgg-minival-'))
})
after(async () => {
  await rm(data, {recursive: true, force: true})
  await rm(scratch, {recursive: true, force: true})
})

const rel = (root: string, paths: {path: string}[]) => paths.map((s) => path.relative(root, s.path)).sort()

test('the minival is class-balanced, held out of train, never from val, and its own dataset id', async () => {
  const index = await indexImageFolder(data)
  const {train, minival} = carveMinival(index, 5)
  // 5 over 3 classes: 2, 2, 1
  assert.deepEqual([0, 1, 2].map((c) => minival.filter((s) => s.label === c).length), [2, 2, 1])
  assert.equal(train.train.length + minival.length, index.train.length)
  const held = new Set(minival.map((s) => s.path))
  assert.ok(train.train.every((s) => !held.has(s.path)), 'disjoint from the training list')
  assert.ok(minival.every((s) => s.path.includes(`${path.sep}train${path.sep}`)), 'carved from train/')
  assert.deepEqual(train.val, index.val)
  assert.notEqual(train.id, index.id)
  assert.notEqual(carveMinival(index, 6).train.id, train.id)
  assert.equal(carveMinival(index, 0).train, index)
})

test('the choice depends on relative paths only: the same images wherever the dataset lives, and in any listing order', async () => {
  const moved = path.join(scratch, 'moved')
  await cp(data, moved, {recursive: true})
  const a = carveMinival(await indexImageFolder(data), 6)
  const indexB = await indexImageFolder(moved)
  const b = carveMinival({...indexB, train: [...indexB.train].reverse()}, 6)
  assert.deepEqual(rel(moved, b.minival), rel(data, a.minival))
  assert.equal(b.train.id, a.train.id)
})

test('a class too small to hold out its share is a one-line error naming it', async () => {
  const index = await indexImageFolder(data)
  assert.throws(() => carveMinival(index, 21), /^DataError: class "blue" has 7 training images: too few to hold out 7/)
})
