// The environment settings are declared once (src/util/env.ts): every VGG_REPRO_*
// name the code, scripts and tests use is declared, only env.ts reads them in src/,
// and the README lists exactly the declared table.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {ENV_KNOBS, envFlag, envKnobsMarkdown, envValue, vggReproEnv} from '../../src/util/env.js'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs|sh)$/.test(name) ? [p] : []
  })
}

const sources = ['src', 'scripts', 'test', 'bin', '.ci'].flatMap((d) => files(path.join(ROOT, d)))

test('every VGG_REPRO_* name in the code, scripts and tests is declared in util/env.ts', () => {
  const declared = new Set<string>(ENV_KNOBS.map((k) => k.name))
  const used = new Set<string>()
  for (const f of sources) for (const m of readFileSync(f, 'utf8').matchAll(/VGG_REPRO_[A-Z][A-Z0-9_]*/g)) used.add(m[0])
  assert.deepEqual([...used].filter((n) => !declared.has(n)), [])
  assert.ok(used.size >= 10, `found only ${used.size} names: the scan is broken`)
})

test('only util/env.ts reads VGG_REPRO_* settings in src/', () => {
  const readers = files(path.join(ROOT, 'src'))
    .filter((f) => !f.endsWith(path.join('util', 'env.ts')))
    .filter((f) => /(process\.)?env(\.|\[['"])VGG_REPRO_|env:\s*['"]VGG_REPRO_/.test(readFileSync(f, 'utf8')))
  assert.deepEqual(readers.map((f) => path.relative(ROOT, f)), [])
})

test('the README lists exactly the declared settings', () => {
  assert.ok(readFileSync(path.join(ROOT, 'README.md'), 'utf8').includes(envKnobsMarkdown()), 'README.md lacks the table of envKnobsMarkdown(): paste it under "Environment variables"')
})

test('empty counts as unset; flags are on at 1 only', () => {
  assert.equal(envValue('VGG_REPRO_RUNS', {VGG_REPRO_RUNS: ''}), undefined)
  assert.equal(envValue('VGG_REPRO_RUNS', {VGG_REPRO_RUNS: '/r'}), '/r')
  assert.equal(envFlag('VGG_REPRO_EAGER_STEP', {VGG_REPRO_EAGER_STEP: '1'}), true)
  assert.equal(envFlag('VGG_REPRO_EAGER_STEP', {VGG_REPRO_EAGER_STEP: 'yes'}), false)
  assert.deepEqual(vggReproEnv({VGG_REPRO_RUNS: '2', HOME: '/h', VGG_REPRO_CACHE: '1'}), [['VGG_REPRO_CACHE', '1'], ['VGG_REPRO_RUNS', '2']])
})
