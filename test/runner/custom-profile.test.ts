// A profile given by path is the profile of the whole run, reports included
// (issue 11: it used to be re-loaded by its name when the reports were written).
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {runTables} from '../../src/runner/run-tables.js'
import {fakeExecutor} from './fake-executor.js'
import {EXPERIMENTS, writeTwoColourFolder} from './helpers.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-custom-profile-'))
const data = path.join(root, 'data')
const lines: string[] = []
const quiet = {log: (l: string) => lines.push(l), progress: (l: string) => lines.push(l)}

/** The smoke profile with its name and seed changed, saved outside experiments/. */
function customProfile(name: string, seed: number): string {
  const text = readFileSync(path.join(EXPERIMENTS, 'profiles', 'smoke.yaml'), 'utf8')
  const file = path.join(root, `${name}-${seed}.yaml`)
  const next = text.replace(/^name: smoke$/m, `name: ${name}`).replace(/^seed: \d+$/m, `seed: ${seed}`)
  assert.notEqual(next, text)
  writeFileSync(file, next)
  return file
}

before(async () => {
  process.env.VGG_REPRO_RUNS = path.join(root, 'runs')
  process.env.VGG_REPRO_RESULTS = path.join(root, 'results')
  await writeTwoColourFolder(data)
})
after(() => {
  delete process.env.VGG_REPRO_RUNS
  delete process.env.VGG_REPRO_RESULTS
})

/** Job keys the reports of a run list (provenance.json), and the keys the run's rows used. */
function reportedKeys(resultsDir: string): string[] {
  return (JSON.parse(readFileSync(path.join(resultsDir, 'provenance.json'), 'utf8')) as {jobs: {key: string}[]}).jobs.map((j) => j.key).sort()
}

test('a profile given by path with a new name writes its reports (exit status and files)', async () => {
  lines.length = 0
  const r = await runTables({tables: ['table3'], profile: customProfile('mine', 1), data, executor: fakeExecutor(), ...quiet})
  assert.equal(r.profile, 'mine')
  assert.equal(r.reportError, undefined, lines.join('\n'))
  assert.ok(r.reports.some((f) => f.endsWith(path.join('mine', 'summary.md'))), `reports: ${r.reports.join(', ')}; log: ${lines.join(' | ')}`)
  assert.ok(!lines.some((l) => /could not write|cannot write/.test(l)), lines.join('\n'))
})

test('a profile given by path named like a built-in one reports its own results, not the built-in cache', async () => {
  // The built-in smoke profile ran first: its results are cached under runs/smoke.
  const builtin = await runTables({tables: ['table3'], profile: 'smoke', data, executor: fakeExecutor(), ...quiet})
  const custom = await runTables({tables: ['table3'], profile: customProfile('smoke', 99), data, executor: fakeExecutor(), ...quiet})
  const customKeys = [...new Set(custom.rows.flatMap((row) => row.jobs.map((j) => j.key)))].sort()
  const builtinKeys = [...new Set(builtin.rows.flatMap((row) => row.jobs.map((j) => j.key)))].sort()
  assert.notDeepEqual(customKeys, builtinKeys) // another seed: other jobs
  // Table 3's jobs in the reports are the custom run's (the reports cover all four tables).
  const reported = reportedKeys(custom.resultsDir)
  for (const k of customKeys) assert.ok(reported.includes(k), `job ${k} of the custom run is missing from its reports`)
  for (const k of builtinKeys) assert.ok(!reported.includes(k), `job ${k} of the built-in profile is in the custom run's reports`)
})
