// Backend choice: names are validated, forcing works, doctor reports JSON.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {parseBackendName, BackendError} from '../../src/backend/backend.js'

const CLI = 'bin/run.js'

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {encoding: 'utf8', env: {...process.env, ...env}, timeout: 120_000})
}

test('backend names are validated with the valid list in the message', () => {
  assert.equal(parseBackendName('tensorflow'), 'tensorflow')
  assert.equal(parseBackendName('auto'), undefined)
  assert.throws(() => parseBackendName('nonsense'), (e: Error) => e instanceof BackendError && /valid names are tensorflow, wasm, cpu/.test(e.message))
})

test('`doctor --backend nonsense` is one line on stderr and exit 2', () => {
  const res = cli(['doctor', '--backend', 'nonsense'])
  assert.equal(res.status, 2)
  const ours = res.stderr.split('\n').filter((l) => l.startsWith('vgg-repro:'))
  assert.deepEqual(ours, ['vgg-repro: unknown backend "nonsense": valid names are tensorflow, wasm, cpu (or auto)'])
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace')
})

test('VGG_REPRO_BACKEND=cpu forces the pure-JS backend', () => {
  const res = cli(['doctor', '--json'], {VGG_REPRO_BACKEND: 'cpu'})
  assert.equal(res.status, 0, res.stderr)
  const report = JSON.parse(res.stdout)
  assert.equal(report.backend, 'cpu')
  assert.ok(report.problems.some((p: string) => /backend is cpu/.test(p)))
})

test('doctor --json on the default backend reports the keys CI reads', () => {
  const res = cli(['doctor', '--json'])
  assert.equal(res.status, 0, res.stderr)
  const report = JSON.parse(res.stdout)
  for (const key of ['backend', 'tfVersion', 'gpu', 'devices', 'convGflops']) assert.ok(key in report, key)
  assert.equal(typeof report.convGflops, 'number')
  assert.ok(report.convGflops > 0)
  assert.ok(Array.isArray(report.devices) && report.devices.includes('CPU:0'))
  // CI builds the native backend: there, falling back would hide a broken install.
  if (process.env.CI || process.env.VGG_REPRO_REQUIRE_NATIVE) assert.equal(report.backend, 'tensorflow')
})
