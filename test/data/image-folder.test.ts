import assert from 'node:assert/strict'
import {mkdir, rm, writeFile, rename, symlink} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {DataError} from '../../src/data/errors.js'
import {indexImageFolder} from '../../src/data/image-folder.js'
import {makeImageFolder, tempDir} from './fixtures.js'

describe('indexImageFolder', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let root: string
  before(async () => {
    tmp = await tempDir()
    root = path.join(tmp.dir, 'ds')
    await makeImageFolder(root)
  })
  after(() => tmp.cleanup())

  it('lists images sorted, labels from train classes, ignores other files', async () => {
    const idx = await indexImageFolder(root)
    assert.equal(idx.root, root)
    assert.deepEqual(idx.classes, ['a', 'b', 'c'])
    const rel = idx.train.map((s) => path.relative(root, s.path))
    assert.deepEqual(rel, [
      'train/a/ramp.png', 'train/a/square.png', 'train/a/tall.JPEG', 'train/a/wide.jpg',
      'train/b/alpha.webp', 'train/b/blue.jpg', 'train/b/deep.png', 'train/b/garbage.JPG', 'train/b/truncated.jpg',
      'train/c/gray.jpg', 'train/c/gray.png', 'train/c/nested/deeper.png',
    ])
    assert.deepEqual(idx.train.map((s) => s.label), [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2])
    assert.deepEqual(idx.val.map((s) => [path.relative(root, s.path), s.label]), [
      ['val/a/v1.jpg', 0], ['val/b/v2.png', 1], ['val/c/v3.jpg', 2],
    ])
    assert.match(idx.id, /^[0-9a-f]{16}$/)
  })

  it('id is deterministic, location-independent, and changes with the files', async () => {
    const a = await indexImageFolder(root)
    const moved = path.join(tmp.dir, 'moved')
    await rename(root, moved)
    const b = await indexImageFolder(moved)
    await rename(moved, root)
    assert.equal(a.id, b.id)
    await writeFile(path.join(root, 'val/a/v1.jpg'), Buffer.alloc(10)) // size change
    const c = await indexImageFolder(root)
    assert.notEqual(a.id, c.id)
  })

  const expectOneLine = async (dir: string, pattern: RegExp) => {
    await assert.rejects(indexImageFolder(dir), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e))
      assert.match(e.message, pattern)
      assert.ok(!e.message.includes('\n'))
      return true
    })
  }

  it('rejects a folder without train/ or val/', async () => {
    const d = path.join(tmp.dir, 'notif')
    await mkdir(path.join(d, 'train/x'), {recursive: true})
    await expectOneLine(d, /not an ImageFolder: .*notif has no val\/ folder/)
    await expectOneLine(path.join(tmp.dir, 'missing'), /dataset folder not found: .*missing/)
  })

  it('rejects an empty class folder, naming it', async () => {
    const d = path.join(tmp.dir, 'empty')
    await mkdir(path.join(d, 'train/x'), {recursive: true})
    await mkdir(path.join(d, 'train/y'), {recursive: true})
    await mkdir(path.join(d, 'val/x'), {recursive: true})
    await writeFile(path.join(d, 'train/x/1.jpg'), 'x')
    await writeFile(path.join(d, 'val/x/1.jpg'), 'x')
    await writeFile(path.join(d, 'train/y/readme.txt'), 'not an image')
    await expectOneLine(d, /empty class folder: .*empty\/train\/y has no JPEG\/PNG\/WebP images/)
  })

  it('rejects a val class missing from train', async () => {
    const d = path.join(tmp.dir, 'valonly')
    for (const f of ['train/x/1.jpg', 'val/x/1.jpg', 'val/z/1.png']) {
      await mkdir(path.dirname(path.join(d, f)), {recursive: true})
      await writeFile(path.join(d, f), 'x')
    }
    await expectOneLine(d, /val class "z" \(.*valonly\/val\/z\) has no folder in .*valonly\/train/)
    await rm(d, {recursive: true})
  })

  it('a symlink loop in a class folder lists each image once (no 40x train set under one label)', async () => {
    const before = await indexImageFolder(root)
    const links = [
      path.join(root, 'train/a/self'), // -> train/a itself
      path.join(root, 'train/c/nested/up'), // -> train/c, an ancestor two levels up
      path.join(root, 'train/b/split'), // -> train/, which would relabel a and c as b
    ]
    await symlink('.', links[0])
    await symlink('..', links[1])
    await symlink('..', links[2])
    try {
      const idx = await indexImageFolder(root)
      assert.deepEqual(idx.train.map((s) => [s.path, s.label]), before.train.map((s) => [s.path, s.label]))
      assert.equal(idx.id, before.id)
    } finally {
      for (const l of links) await rm(l)
    }
  })
})
