import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {it} from 'node:test'
import {readCheckpointHeader} from '../../src/train/checkpoint.js'
import {checkpointPath, trainNet} from '../../src/train/train-net.js'
import {assertSameTensors} from './compare.js'
import {smokeJob, trainFixture} from './fixtures.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const EPOCHS = 4
const f = trainFixture('kill', 24, 4)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

it('kill -9 after the first epoch checkpoint, then resume: same final weights as an uninterrupted run, byte for byte', async () => {
  const killedDir = path.join(f.scratch, 'killed')
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'kill-child.ts'), f.data, killedDir, String(EPOCHS)], {
    cwd: path.resolve(here, '..', '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  )
  let killedAt = -1
  let finished = false
  void exited.then(() => (finished = true))
  // Poll the checkpoint header; kill as soon as epoch 1's checkpoint is there,
  // wherever the child is then (epoch 2's batches, validation or a write).
  while (!finished) {
    const h = await readCheckpointHeader(checkpointPath(killedDir)).catch(() => undefined)
    if (h !== undefined && h.epoch >= 1) {
      killedAt = h.epoch
      child.kill('SIGKILL')
      break
    }
    await sleep(10)
  }
  const {signal} = await exited
  assert.equal(signal, 'SIGKILL', `child was not killed (it ended first): ${stderr.slice(-2000)}`)
  assert.ok(killedAt >= 1 && killedAt < EPOCHS)

  const resumed = await trainNet(smokeJob(f.data, killedDir, {maxEpochs: EPOCHS, batchSize: 4}), {quiet: true})
  assert.equal(resumed.stoppedBy, 'epochs')
  assert.equal(resumed.epochs, EPOCHS)
  const full = await trainNet(smokeJob(f.data, path.join(f.scratch, 'full'), {maxEpochs: EPOCHS, batchSize: 4}), {quiet: true})
  await assertSameTensors(full.checkpoint, resumed.checkpoint)
})
