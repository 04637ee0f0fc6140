// The whole command path (files -> data -> graph -> lock -> run -> reports) with a
// fake executor on a generated image folder: no training, real everything else.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {before, test} from 'node:test'
import sharp from 'sharp'
import {DataError} from '../../src/data/errors.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {resolveDataset} from '../../src/runner/dataset.js'
import {LockError} from '../../src/runner/lock.js'
import {reportFromCache, runTables} from '../../src/runner/run-tables.js'
import {fakeExecutor} from './fake-executor.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-run-tables-'))
const data = path.join(root, 'data')
const lines: string[] = []
const quiet = {log: (l: string) => lines.push(l), progress: (l: string) => lines.push(l)}

before(async () => {
  process.env.VGG_REPRO_RUNS = path.join(root, 'runs')
  process.env.VGG_REPRO_RESULTS = path.join(root, 'results')
  for (const split of ['train', 'val']) {
    for (const [c, colour] of [['cat', {r: 200, g: 30, b: 30}], ['dog', {r: 30, g: 30, b: 200}]] as const) {
      const dir = path.join(data, split, c)
      mkdirSync(dir, {recursive: true})
      for (let i = 0; i < 3; i++) {
        await sharp({create: {width: 40 + i, height: 36, channels: 3, background: colour}}).jpeg().toFile(path.join(dir, `${i}.jpg`))
      }
    }
  }
})

test('a table command runs its graph, writes reports with one row per paper row, and a rerun trains nothing', async () => {
  const first = await runTables({tables: ['table3'], profile: 'smoke', data, executor: fakeExecutor(), ...quiet})
  // 12 nets and A's second seed (training noise); its evals and scores
  assert.deepEqual(first.ran, {train: 13, eval: 17, combine: 15})
  assert.equal(first.rows.length, 12)
  assert.ok(first.rows.every((r) => r.status === 'ok'))
  const csv = readFileSync(path.join(first.resultsDir, 'table3.csv'), 'utf8').trim().split('\n')
  assert.equal(csv.length, 1 + 12)
  assert.ok(csv.some((l) => l.includes('29.6') && l.includes('A-256')))
  assert.ok(existsSync(path.join(first.resultsDir, 'summary.md')))

  const again = await runTables({tables: ['table3', 'table5'], profile: 'smoke', data, executor: fakeExecutor(), ...quiet})
  // Table 5 needs no training beyond Table 3: only its evaluations and combinations run.
  assert.equal(again.ran.train, 0)
  assert.ok(again.ran.eval > 0)

  // `report` re-renders from the cache: Tables 3 and 5 are there, 4 and 6 partly pending.
  const r = await reportFromCache({profile: 'smoke', tables: ['table3', 'table4', 'table5', 'table6']})
  assert.equal(r.rows.length, 32)
  assert.ok(r.rows.filter((x) => x.table === 'table3' || x.table === 'table5').every((x) => x.status === 'ok'))
  assert.ok(r.rows.some((x) => x.status === 'pending'))
  const summary = () => readFileSync(path.join(r.resultsDir, 'summary.md'), 'utf8')
  assert.ok(!summary().includes('report re-rendered'), 'same code as the run: no re-render line')

  // Re-rendered by other code than the run's: the report says so (verdict rules may differ).
  const lastRunFile = path.join(root, 'runs', 'smoke', 'last-run.json')
  const last = JSON.parse(readFileSync(lastRunFile, 'utf8')) as {provenance: {gitCommit: string}}
  last.provenance.gitCommit = 'deadbee'
  writeFileSync(lastRunFile, JSON.stringify(last))
  await reportFromCache({profile: 'smoke', tables: ['table3']})
  assert.match(summary(), /\| git commit \| `deadbee` \|/)
  assert.match(summary(), /\| report re-rendered \| at git commit `[0-9a-f]{7}/)
})

test('a second run on the same runs folder is refused while the first is alive', async () => {
  const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {stdio: 'ignore'})
  try {
    const runDir = path.join(root, 'runs', 'smoke')
    mkdirSync(runDir, {recursive: true})
    writeFileSync(path.join(runDir, '.lock'), `${owner.pid}\n`)
    await assert.rejects(
      runTables({tables: ['table3'], profile: 'smoke', data, executor: fakeExecutor(), ...quiet}),
      (e: unknown) => e instanceof LockError && e.message.startsWith(`another vgg-repro run (pid ${owner.pid}) is using`),
    )
  } finally {
    owner.kill()
  }
})

test('a missing dataset is one clear line', async () => {
  const profile = loadProfile('smoke')
  await assert.rejects(resolveDataset(profile, path.join(root, 'no-such-folder')), (e: unknown) => e instanceof DataError && !e.message.includes('\n') && e.message.includes('no-such-folder'))
  const paper = loadProfile('paper')
  await assert.rejects(resolveDataset(paper, undefined), /the paper profile's dataset "imagenet" is not a folder here and cannot be downloaded: pass --data DIR/)
})
