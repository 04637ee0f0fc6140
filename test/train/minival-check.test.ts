// Issue 21: a finished job's checkpoint must re-evaluate to the minival error it records.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {loadCheckpoint, writeCheckpoint} from '../../src/train/checkpoint.js'
import {MinivalMismatchError} from '../../src/train/minival-check.js'
import {trainNet} from '../../src/train/train-net.js'
import {smokeJob, trainFixture} from './fixtures.js'

const f = trainFixture('minivalcheck', 24, 4)
const out = (name: string) => path.join(f.scratch, name)
const job = (dir: string) => smokeJob(f.data, out(dir), {maxEpochs: 4, minivalImages: 9})

describe('the recorded minival error is re-evaluated from the finished checkpoint', () => {
  it('a normal job passes the check and reports its number', async () => {
    const r = await trainNet(job('normal'), {quiet: true})
    assert.equal(r.stoppedBy, 'epochs')
    assert.ok(Number.isFinite(r.valTop1Err))
    assert.ok(existsSync(r.checkpoint))
  })

  it('weights altered after the minival was recorded (under a valid checksum) fail the job in one line naming the checkpoint', async () => {
    const j = job('altered')
    let recorded = NaN
    const run = trainNet(j, {
      quiet: true,
      // After the last epoch's validation and checkpoint write, before the job returns: what a
      // corrupted heap could do to the weights. fc8's class columns are rolled by one, so every
      // prediction moves to another class; the file is rewritten with a valid checksum.
      onEpoch: async (m) => {
        if (m.epoch !== j.maxEpochs) return
        recorded = m.valTop1Err
        const file = path.join(out('altered'), 'checkpoint.ckpt')
        const ckpt = await loadCheckpoint(file)
        for (const name of ['fc8/kernel', 'fc8/bias']) {
          const w = ckpt.weights.get(name)!
          const k = w.shape.at(-1)!
          const rolled = new Float32Array(w.data.length)
          for (let i = 0; i < w.data.length; i++) rolled[i - (i % k) + (((i % k) + 1) % k)] = w.data[i]
          ckpt.weights.set(name, {shape: w.shape, data: rolled})
        }
        await writeCheckpoint(file, ckpt)
      },
    })
    await assert.rejects(run, (e: Error) => {
      assert.ok(e instanceof MinivalMismatchError, String(e))
      assert.doesNotMatch(e.message, /\n/)
      assert.match(e.message, /checkpoint\.ckpt does not reproduce its recorded minival error: recorded top-1 /)
      assert.ok(e.message.includes(`recorded top-1 ${recorded}%`), e.message)
      return true
    })
    // not served again as a finished job: set aside, so a rerun trains it again
    assert.ok(!existsSync(path.join(out('altered'), 'checkpoint.ckpt')))
    assert.ok(existsSync(path.join(out('altered'), 'checkpoint.ckpt.mismatch')))
  })
})
