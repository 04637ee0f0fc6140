// A profile's name becomes a folder under runs/ and results/: it must not be able to
// point anywhere else (issue 11, security).
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {fileURLToPath} from 'node:url'
import {ExperimentFileError} from '../../src/experiments/errors.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {runTables} from '../../src/runner/run-tables.js'

const SMOKE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments', 'profiles', 'smoke.yaml')

function profileNamed(dir: string, name: string): {file: string; line: number} {
  const file = path.join(dir, 'evil.yaml')
  const text = readFileSync(SMOKE, 'utf8')
  writeFileSync(file, text.replace(/^name: smoke$/m, `name: ${JSON.stringify(name)}`))
  return {file, line: text.slice(0, text.indexOf('name: smoke')).split('\n').length}
}

test('a profile name with "..", "/" or capitals is a file:line error; derived folders never leave their roots', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-name-'))
  for (const bad of ['../../x', 'a/b', 'Smoke', '']) {
    const {file, line} = profileNamed(root, bad)
    assert.throws(
      () => loadProfile(file),
      (e: unknown) => e instanceof ExperimentFileError && e.message === `${file}:${line}: name: profile names are lower-case letters, digits and "-" (they name folders)`,
      bad,
    )
  }
  // The path helpers refuse on their own too (a name that did not come from a profile file).
  const {joinUnder, resultsDirOf, runDirOf} = await import('../../src/runner/paths.js')
  const runs = path.join(root, 'inner', 'runs')
  process.env.VGG_REPRO_RUNS = runs
  process.env.VGG_REPRO_RESULTS = path.join(root, 'inner', 'results')
  try {
    assert.throws(() => runDirOf('../../x'), ExperimentFileError)
    assert.throws(() => resultsDirOf('..'), ExperimentFileError)
    assert.throws(() => joinUnder(runs, '/etc'), ExperimentFileError)
    assert.equal(runDirOf('smoke'), path.join(runs, 'smoke'))
    // End to end: the run is refused before anything is written outside runs/ and results/.
    mkdirSync(path.join(root, 'data'))
    const {file} = profileNamed(root, '../../x')
    await assert.rejects(
      runTables({tables: ['table3'], profile: file, data: path.join(root, 'data'), log: () => {}, progress: () => {}}),
      ExperimentFileError,
    )
    assert.equal(existsSync(path.join(root, 'x')), false)
  } finally {
    delete process.env.VGG_REPRO_RUNS
    delete process.env.VGG_REPRO_RESULTS
  }
})
