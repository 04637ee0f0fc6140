// Folders the tool writes to: an unwritable runs folder, results folder or TMPDIR is
// one line naming it before any work; reports that cannot be written make the run
// exit non-zero (issue 11).
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {fileURLToPath} from 'node:url'
import sharp from 'sharp'
import {runTables} from '../../src/runner/run-tables.js'
import {fakeExecutor} from './fake-executor.js'

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-folders-'))
const data = path.join(root, 'data')
/** A regular file: any folder "inside" it cannot be created (ENOTDIR), even as root. */
const aFile = path.join(root, 'a-file')
const quiet = {log: () => {}, progress: () => {}}

before(async () => {
  writeFileSync(aFile, 'not a folder')
  for (const split of ['train', 'val']) {
    for (const [c, colour] of [['cat', {r: 200, g: 30, b: 30}], ['dog', {r: 30, g: 30, b: 200}]] as const) {
      const dir = path.join(data, split, c)
      mkdirSync(dir, {recursive: true})
      for (let i = 0; i < 3; i++) await sharp({create: {width: 40 + i, height: 36, channels: 3, background: colour}}).jpeg().toFile(path.join(dir, `${i}.jpg`))
    }
  }
})

function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  return fn().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
}

after(() => {
  delete process.env.VGG_REPRO_RUNS
  delete process.env.VGG_REPRO_RESULTS
})

const ok = {VGG_REPRO_RUNS: path.join(root, 'runs'), VGG_REPRO_RESULTS: path.join(root, 'results')}

test('an unwritable runs folder, results folder or TMPDIR is one line naming it and what to set, before any work', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{...ok, VGG_REPRO_RUNS: path.join(aFile, 'runs')}, /^cannot write to the runs folder .*a-file\/runs\/smoke \(ENOTDIR: not a directory\): set VGG_REPRO_RUNS to a writable folder$/],
    [{...ok, VGG_REPRO_RESULTS: path.join(aFile, 'results')}, /^cannot write to the results folder .*a-file\/results\/smoke \(ENOTDIR: not a directory\): set VGG_REPRO_RESULTS to a writable folder$/],
    [{...ok, TMPDIR: path.join(aFile, 'tmp')}, /^cannot write to the temp folder .*a-file\/tmp \(ENOTDIR: not a directory\): set TMPDIR to a writable folder$/],
  ]
  for (const [env, pattern] of cases) {
    const fake = fakeExecutor()
    await withEnv(env, () =>
      assert.rejects(runTables({tables: ['table3'], profile: 'smoke', data, executor: fake, ...quiet}), (e: unknown) => (e as Error).name === 'FolderAccessError' && pattern.test((e as Error).message)),
    )
    assert.equal(fake.calls.train.length, 0)
  }
})

test('the CLI prints an unwritable runs folder or TMPDIR as one line, exit 2, no stack trace', () => {
  for (const env of [{VGG_REPRO_RUNS: path.join(aFile, 'runs')}, {TMPDIR: path.join(aFile, 'tmp')}]) {
    const r = spawnSync(process.execPath, [path.join(PROJECT, 'bin', 'run.js'), 'table3', '--profile', 'smoke', '--data', data], {
      env: {...process.env, ...ok, ...env},
      encoding: 'utf8',
    })
    assert.equal(r.status, 2, r.stderr)
    const lines = r.stderr.trim().split('\n')
    assert.equal(lines.length, 1, r.stderr)
    assert.match(lines[0], /^vgg-repro: cannot write to the (runs|temp) folder .*a-file.*\(ENOTDIR: not a directory\): set (VGG_REPRO_RUNS|TMPDIR) to a writable folder$/)
  }
})

test('reports that cannot be written: the run says why and exits 1; `vgg-repro report` is one line, exit 2', async () => {
  const results = path.join(root, 'results-blocked')
  mkdirSync(path.join(results, 'smoke', 'summary.md'), {recursive: true}) // a folder where the file goes: EISDIR
  const r = await withEnv({...ok, VGG_REPRO_RESULTS: results}, () => runTables({tables: ['table3'], profile: 'smoke', data, executor: fakeExecutor(), ...quiet}))
  assert.equal(r.counts.failed, 0)
  assert.match(r.reportError ?? '', /^cannot write the reports in .*results-blocked\/smoke \(EISDIR: illegal operation on a directory\)$/)
  const {runExitCode} = await import('../../src/cli/table-command.js')
  assert.equal(runExitCode(r, false), 1)
  assert.equal(runExitCode(r, true), 1) // --json too: the run did not produce what it is for
  assert.equal(runExitCode({...r, reportError: undefined}, false), 0)

  const cli = spawnSync(process.execPath, [path.join(PROJECT, 'bin', 'run.js'), 'report', '--profile', 'smoke', '--data', data], {
    env: {...process.env, ...ok, VGG_REPRO_RESULTS: results},
    encoding: 'utf8',
  })
  assert.equal(cli.status, 2, cli.stderr)
  assert.match(cli.stderr, /^vgg-repro: cannot write the reports in .*results-blocked\/smoke \(EISDIR: illegal operation on a directory\)\n$/)
})
