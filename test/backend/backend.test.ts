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

// Issue 21: one inter-op thread by default (two oneDNN backward kernels at once were in the
// crash's core dump); a user's TF_NUM_INTEROP_THREADS wins, and 0 gives TensorFlow's own.
test('the native backend starts with one inter-op thread unless TF_NUM_INTEROP_THREADS says otherwise', () => {
  const script = 'test/backend/interop-probe.ts'
  const probe = (value: string | undefined) => {
    const env: NodeJS.ProcessEnv = {...process.env}
    delete env.TF_NUM_INTEROP_THREADS
    if (value !== undefined) env.TF_NUM_INTEROP_THREADS = value
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {encoding: 'utf8', env, cwd: process.cwd(), timeout: 120_000})
    assert.equal(r.status, 0, r.stderr)
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {backend: string; env: string | null; setting: string; pools: number}
  }
  const unset = probe(undefined)
  if (unset.backend !== 'tensorflow') return // the setting is the native backend's
  assert.equal(unset.env, '1')
  assert.match(unset.setting, /^1 \(vgg-repro's default/)
  assert.equal(unset.pools, 1, 'one eager inter-op thread')
  const tfDefault = probe('0')
  assert.equal(tfDefault.env, '0')
  assert.match(tfDefault.setting, /TensorFlow default/)
  assert.ok(tfDefault.pools >= unset.pools, `TensorFlow's default has at least as many inter-op threads: ${tfDefault.pools}`)
  const user = probe('3')
  assert.deepEqual([user.env, user.pools], ['3', 3])
  assert.match(user.setting, /^3 \(TF_NUM_INTEROP_THREADS\)/)
})
