// scripts/gpu-check.sh (issue 22) on this GPU-less machine: the no-GPU branch is one
// line and exit 3 within seconds, installing nothing; the summary line's format; the
// nvidia-smi parsing behind doctor's GPU facts; doctor's JSON has the GPU fields.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, test} from 'node:test'
import {parseNvidiaSmi} from '../../src/backend/gpu-info.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'vgg-gpucheck-'))
after(() => rmSync(tmp, {recursive: true, force: true}))

test('without a GPU: one line naming what it looked for, exit 3, in seconds, nothing installed', () => {
  const empty = path.join(tmp, 'root')
  mkdirSync(empty)
  // A PATH without nvidia-smi (only what bash and the script's tools need).
  const bin = path.join(tmp, 'bin')
  mkdirSync(bin)
  const t0 = Date.now()
  const r = spawnSync('bash', ['scripts/gpu-check.sh', path.join(tmp, 'logs')], {encoding: 'utf8', env: {...process.env, GPU_CHECK_ROOT: empty, PATH: `${bin}:/usr/bin:/bin`}, timeout: 10_000})
  assert.ok(Date.now() - t0 < 10_000)
  assert.equal(r.status, 3, r.stderr)
  assert.equal(r.stderr, '')
  assert.match(r.stdout, /^gpu-check: no NVIDIA GPU here \(looked for: nvidia-smi on PATH, \S+\/dev\/nvidia0, \S+\/proc\/driver\/nvidia\/version\); nothing installed or run\n$/)
  assert.deepEqual(readdirSync(tmp).sort(), ['bin', 'root'])
})

test('with a GPU device but a nvidia-smi that fails, the device file alone counts as a GPU (detection, not install: stopped by a failing npm)', () => {
  const root = path.join(tmp, 'gpu-root')
  mkdirSync(path.join(root, 'dev'), {recursive: true})
  writeFileSync(path.join(root, 'dev', 'nvidia0'), '')
  const bin = path.join(tmp, 'fakebin')
  mkdirSync(bin)
  // npm and node that fail at once: the script must go on to the next step and report.
  for (const tool of ['npm', 'node', 'nvidia-smi', 'python3']) writeFileSync(path.join(bin, tool), '#!/bin/sh\necho "fake $0 failed" >&2\nexit 1\n', {mode: 0o755})
  const logs = path.join(tmp, 'gpu-logs')
  const r = spawnSync('bash', ['scripts/gpu-check.sh', logs], {encoding: 'utf8', env: {...process.env, GPU_CHECK_ROOT: root, PATH: `${bin}:/usr/bin:/bin`}, timeout: 30_000})
  assert.equal(r.status, 1, r.stdout + r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.match(lines[0], /^FAIL install \(\d+ s\): fake \S*npm failed \(log: \S+\/install\.log\)$/)
  assert.ok(lines.every((l) => /^(PASS|FAIL) |^gpu-check: /.test(l)), r.stdout)
  assert.match(lines.at(-1)!, new RegExp(`^gpu-check: 0 of \\d+ steps passed, \\d+ failed: install setup-gpu doctor .* \\(logs: ${logs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`))
})

test('the summary line: all passed, or how many failed and which', () => {
  const s = (...a: string[]) => spawnSync('bash', ['scripts/gpu-check.sh', '--summary', ...a], {encoding: 'utf8'})
  assert.equal(s('9', '0', '/l').stdout, 'gpu-check: all 9 steps passed (logs: /l)\n')
  assert.equal(s('7', '2', '/l', 'setup-gpu', 'bench-gpu').stdout, 'gpu-check: 7 of 9 steps passed, 2 failed: setup-gpu bench-gpu (logs: /l)\n')
})

test("doctor's GPU facts from nvidia-smi: name, compute capability, driver; N/A is unknown", () => {
  assert.deepEqual(parseNvidiaSmi('0, NVIDIA A100-SXM4-40GB, 8.0, 550.54.15\n1, Tesla T4, 7.5, 550.54.15\n'), [
    {index: 0, name: 'NVIDIA A100-SXM4-40GB', computeCapability: '8.0', driver: '550.54.15'},
    {index: 1, name: 'Tesla T4', computeCapability: '7.5', driver: '550.54.15'},
  ])
  assert.deepEqual(parseNvidiaSmi('0, Old Card, [N/A], 470.1\n'), [{index: 0, name: 'Old Card', computeCapability: undefined, driver: '470.1'}])
})

test("doctor --json on this GPU-less machine: gpu false, no GPU facts, the CPU's precision reason", () => {
  const r = spawnSync(process.execPath, ['bin/run.js', 'doctor', '--json'], {encoding: 'utf8', timeout: 120_000})
  assert.equal(r.status, 0, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.equal(d.gpu, false)
  assert.deepEqual(d.gpus, [])
  assert.deepEqual(d.devices, ['CPU:0'])
  assert.doesNotMatch(d.precision.reason, /GPU/)
})
