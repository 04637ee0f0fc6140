import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {it} from 'node:test'
import {readCheckpointHeader} from '../../src/train/checkpoint.js'
import {checkpointPath} from '../../src/train/train-net.js'
import {assertSameTensors} from './compare.js'
import {trainFixture} from './fixtures.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const EPOCHS = 8
const f = trainFixture('crash', 24, 4)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const trainArgs = (out: string) => [path.join(ROOT, 'bin', 'run.js'), 'train', '--profile', 'smoke', '--config', 'A', '--scale', '256', '--data', f.data, '--out', out, '--epochs', String(EPOCHS)]

/** Pids whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d))
    } catch {
      // gone meanwhile
    }
  }
  return out
}

it('vgg-repro train whose process dies by SIGSEGV mid-run is started again and resumes: exit 0, a warning, the same weights as an uninterrupted run', async () => {
  const crashedDir = path.join(f.scratch, 'crashed')
  const supervisor = spawn(process.execPath, trainArgs(crashedDir), {cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  supervisor.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{code: number | null}>((resolve) => supervisor.on('exit', (code) => resolve({code})))
  let finished = false
  void exited.then(() => (finished = true))
  // The crash: SIGSEGV to the supervised child once epoch 1's checkpoint is there.
  let crashedAt = -1
  while (!finished) {
    const h = await readCheckpointHeader(checkpointPath(crashedDir)).catch(() => undefined)
    const [child] = childrenOf(supervisor.pid!)
    if (h !== undefined && h.epoch >= 1 && child !== undefined) {
      crashedAt = h.epoch
      process.kill(child, 'SIGSEGV')
      break
    }
    await sleep(10)
  }
  const {code} = await exited
  assert.ok(crashedAt >= 1 && crashedAt < EPOCHS, `the run ended before the crash could be sent: ${stderr.slice(-1500)}`)
  assert.equal(code, 0, stderr.slice(-1500))
  assert.match(stderr, /vgg-repro: WARNING: the process died by SIGSEGV .*starting it again \(2 of 3\)/)
  const header = await readCheckpointHeader(checkpointPath(crashedDir))
  assert.equal(header.epoch, EPOCHS)

  // Uninterrupted, and without a supervisor (VGG_REPRO_CRASH_RETRIES=0): the same weights.
  const fullDir = path.join(f.scratch, 'full')
  const full = spawnSync(process.execPath, trainArgs(fullDir), {cwd: ROOT, encoding: 'utf8', env: {...process.env, VGG_REPRO_CRASH_RETRIES: '0'}})
  assert.equal(full.status, 0, full.stderr)
  await assertSameTensors(checkpointPath(fullDir), checkpointPath(crashedDir))
})
