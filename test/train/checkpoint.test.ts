import assert from 'node:assert/strict'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {DiskFullError, writeFileAtomic} from '../../src/util/atomic-write.js'
import {CheckpointError, loadCheckpoint, readCheckpointHeader, writeCheckpoint, type Checkpoint} from '../../src/train/checkpoint.js'
import {initialSchedule} from '../../src/train/schedule.js'
import {smokeJob} from './fixtures.js'

function sample(epoch: number, fill: number): Checkpoint {
  const job = smokeJob('/data', '/out')
  const w = (shape: number[], k: number) => ({shape, data: Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, (_, i) => fill + k + i / 7)})
  return {
    net: job.net,
    epoch,
    step: epoch * 10,
    batchInEpoch: 0,
    schedule: initialSchedule(job.lr),
    rng: {seed: 7, scheme: 'test'},
    inputsHash: 'abc',
    metrics: [],
    wallMs: 12,
    job,
    datasetId: 'ds',
    classes: ['a', 'b', 'c'],
    meanRgb: [1, 2, 3],
    // odd sizes exercise the 8-byte padding
    weights: new Map([['conv1_1/kernel', w([3, 3, 3, 1], 0)], ['conv1_1/bias', w([1], 1)], ['fc8/kernel', w([5, 3], 2)]]),
    momentum: new Map([['conv1_1/kernel', w([3, 3, 3, 1], 3)], ['conv1_1/bias', w([1], 4)], ['fc8/kernel', w([5, 3], 5)]]),
  }
}

describe('checkpoint file', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vgg-ckpt-test-'))
  })
  after(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('round-trips state, weights and momentum exactly', async () => {
    const file = path.join(dir, 'rt.ckpt')
    const ckpt = sample(3, 0.5)
    ckpt.partial = {lossSum: 1.5, top1Correct: 2, top5Correct: 3, images: 4, trainMs: 5, dataWaitMs: 6}
    await writeCheckpoint(file, ckpt)
    const back = await loadCheckpoint(file)
    assert.deepEqual(back, ckpt)
    const header = await readCheckpointHeader(file)
    assert.equal(header.epoch, 3)
    assert.equal((header as unknown as {weights?: unknown}).weights, undefined)
  })

  it('a leftover temp file (writer killed mid-write) is ignored, the last complete file is read', async () => {
    const file = path.join(dir, 'atomic.ckpt')
    await writeCheckpoint(file, sample(1, 0))
    // what a kill -9 during the next write leaves behind: a torn temp file
    const torn = (await readFile(file)).subarray(0, 100)
    await writeFile(`${file}.tmp-99999-deadbeef`, torn)
    const back = await loadCheckpoint(file)
    assert.equal(back.epoch, 1)
    // the next write replaces the file and leaves only its own result
    await writeCheckpoint(file, sample(2, 0))
    assert.equal((await loadCheckpoint(file)).epoch, 2)
  })

  it('a truncated or foreign file is a clear error', async () => {
    const file = path.join(dir, 'trunc.ckpt')
    await writeCheckpoint(file, sample(1, 0))
    const bytes = await readFile(file)
    await writeFile(file, bytes.subarray(0, bytes.length - 8))
    await assert.rejects(loadCheckpoint(file), (e: Error) => e instanceof CheckpointError && /truncated or corrupt/.test(e.message))
    await writeFile(file, 'hello world, not a checkpoint')
    await assert.rejects(loadCheckpoint(file), (e: Error) => e instanceof CheckpointError && /bad magic/.test(e.message))
  })

  it('a file damaged after writing (same size, other bytes) fails its checksum, naming the file', async () => {
    const file = path.join(dir, 'damaged.ckpt')
    await writeCheckpoint(file, sample(2, 0))
    const bytes = await readFile(file)
    bytes[bytes.length - 5] ^= 0x40 // one bit of the last tensor
    await writeFile(file, bytes)
    const corrupt = (e: Error) => e instanceof CheckpointError && e.message === `${file} is corrupt: its tensor bytes do not match the checksum written with it`
    await assert.rejects(loadCheckpoint(file), corrupt)
    const {verifyCheckpoint} = await import('../../src/train/checkpoint.js')
    await assert.rejects(verifyCheckpoint(file), corrupt)
    bytes[bytes.length - 5] ^= 0x40
    await writeFile(file, bytes)
    await verifyCheckpoint(file)
    assert.equal((await loadCheckpoint(file)).epoch, 2)
  })

  it('a full disk (ENOSPC) keeps the previous checkpoint intact and says so', async () => {
    const file = path.join(dir, 'full.ckpt')
    await writeCheckpoint(file, sample(1, 0))
    const before = await readFile(file)
    let writes = 0
    const failing = async (fh: import('node:fs/promises').FileHandle, chunk: Uint8Array) => {
      if (++writes > 2) throw Object.assign(new Error('no space left on device'), {code: 'ENOSPC'})
      await fh.write(chunk)
    }
    await assert.rejects(writeCheckpoint(file, sample(2, 9), {write: failing}), (e: Error) => {
      assert.ok(e instanceof DiskFullError)
      assert.match(e.message, /disk full while writing .*full\.ckpt \(ENOSPC\); the previous full\.ckpt is intact/)
      return true
    })
    assert.ok(before.equals(await readFile(file)))
    const left = (await readdir(dir)).filter((n) => n.startsWith('full.ckpt.tmp-'))
    assert.deepEqual(left, [], 'the failed temp file is removed')
  })

  it('writeFileAtomic replaces content whole', async () => {
    const file = path.join(dir, 'plain.txt')
    await writeFileAtomic(file, [Buffer.from('one')])
    await writeFileAtomic(file, [Buffer.from('two'), Buffer.from('!')])
    assert.equal(await readFile(file, 'utf8'), 'two!')
  })
})
