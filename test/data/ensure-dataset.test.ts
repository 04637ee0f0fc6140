import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ensureDataset} from '../../src/data/ensure-dataset.js'
import {DataError} from '../../src/data/errors.js'
import {tempDir} from './fixtures.js'

/** A small imagenette-shaped archive: imagenette2-320/{train,val}/<class>/*.JPEG */
async function makeArchive(dir: string): Promise<Buffer> {
  const top = path.join(dir, 'src', 'imagenette2-320')
  for (const f of ['train/n01/a.JPEG', 'train/n02/b.JPEG', 'val/n01/c.JPEG', 'val/n02/d.JPEG']) {
    await mkdir(path.dirname(path.join(top, f)), {recursive: true})
    await writeFile(path.join(top, f), `fake image ${f}`)
  }
  await writeFile(path.join(top, 'noisy_imagenette.csv'), 'path,label\n')
  const tgz = path.join(dir, 'imagenette2-320.tgz')
  execFileSync('tar', ['-czf', tgz, '-C', path.join(dir, 'src'), 'imagenette2-320'])
  return readFile(tgz)
}

function oneLineDataError(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, String(e))
    assert.match(e.message, pattern)
    assert.ok(!e.message.includes('\n'))
    return true
  }
}

describe('ensureDataset', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let archive: Buffer
  let server: http.Server
  let baseUrl: string
  let requests = 0
  before(async () => {
    tmp = await tempDir()
    archive = await makeArchive(tmp.dir)
    server = http.createServer((req, res) => {
      requests++
      if (req.url === '/data/imagenette2-320.tgz') {
        res.writeHead(200, {'content-type': 'application/gzip', 'content-length': archive.length})
        res.end(archive)
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/`
  })
  after(async () => {
    await new Promise((r) => server.close(r))
    await tmp.cleanup()
  })

  const expected = () => ({
    size: archive.length,
    md5First1MiB: createHash('md5').update(archive.subarray(0, 1 << 20)).digest('hex'),
    sha256: createHash('sha256').update(archive).digest('hex'),
  })

  it('downloads, checks, extracts and renames into <cache>/datasets/imagenette2-320 once', async () => {
    const cache = path.join(tmp.dir, 'cache1')
    const dir = await ensureDataset('imagenette', cache, {baseUrl, expected: expected(), progress: false})
    assert.equal(dir, path.join(cache, 'datasets', 'imagenette2-320'))
    assert.equal(await readFile(path.join(dir, 'val/n02/d.JPEG'), 'utf8'), 'fake image val/n02/d.JPEG')
    assert.deepEqual(await readdir(path.join(cache, 'datasets')), ['imagenette2-320']) // no temp leftovers
    const before = requests
    assert.equal(await ensureDataset('imagenette', cache, {baseUrl, progress: false}), dir)
    assert.equal(requests, before) // cached: no second download
  })

  it('a checksum mismatch fails in one line and leaves nothing behind', async () => {
    const cache = path.join(tmp.dir, 'cache2')
    await assert.rejects(
      ensureDataset('imagenette', cache, {baseUrl, expected: {...expected(), sha256: '0'.repeat(64)}, progress: false}),
      oneLineDataError(/checksum mismatch .*sha256 .*pass --data DIR/),
    )
    await assert.rejects(
      ensureDataset('imagenette', cache, {baseUrl, expected: {size: archive.length + 1}, progress: false}),
      oneLineDataError(/size \d+ bytes, expected \d+/),
    )
    assert.deepEqual(await readdir(path.join(cache, 'datasets')), [])
  })

  it('offline or missing archive: one line saying where to put the data', async () => {
    const cache = path.join(tmp.dir, 'cache3')
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const where = path.join(cache, 'datasets', 'imagenette2-320').replace(/[/\\]/g, '.')
    await assert.rejects(
      ensureDataset('imagenette', cache, {baseUrl: `http://127.0.0.1:${port}/`, progress: false}),
      oneLineDataError(new RegExp(`cannot download imagenette from .*ECONNREFUSED.*put the extracted imagenette2-320/ folder .* at ${where}, or pass --data DIR`)),
    )
    await assert.rejects(
      ensureDataset('imagenette', cache, {baseUrl: `${baseUrl}nothing/`, progress: false}),
      oneLineDataError(/HTTP 404.*pass --data DIR/),
    )
  })

  it('a path is validated and used as is', async () => {
    const dir = path.join(tmp.dir, 'cache1', 'datasets', 'imagenette2-320')
    assert.equal(await ensureDataset(dir, path.join(tmp.dir, 'unused')), dir)
    await assert.rejects(ensureDataset(path.join(tmp.dir, 'nope'), tmp.dir), oneLineDataError(/dataset folder not found: .*nope .*--data DIR/))
    await mkdir(path.join(tmp.dir, 'half', 'train'), {recursive: true})
    await assert.rejects(ensureDataset(path.join(tmp.dir, 'half'), tmp.dir), oneLineDataError(/not an ImageFolder: .*half needs train\/ and val\//))
  })
})
