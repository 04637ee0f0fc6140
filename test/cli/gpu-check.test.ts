// scripts/gpu-check.sh (issue 22) on this GPU-less machine: the no-GPU branch is one
// line and exit 3 within seconds, installing nothing; what counts as a GPU; the step
// lines, the skipping of steps whose prerequisite failed, and the summary line's format
// (the script sourced, with stand-in steps); the judges of each step's outputs on sample
// outputs of a GPU machine; a failing install on a pretended GPU machine; the nvidia-smi
// parsing behind doctor's GPU facts; doctor's JSON on this machine.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, describe, test} from 'node:test'
import {parseNvidiaSmi} from '../../src/backend/gpu-info.js'

const SCRIPT = path.resolve('scripts/gpu-check.sh')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vgg-gpucheck-'))
after(() => rmSync(tmp, {recursive: true, force: true}))
let dirs = 0
const fresh = (name: string) => {
  const d = path.join(tmp, `${name}-${++dirs}`)
  mkdirSync(d, {recursive: true})
  return d
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A folder of executables: each prints `out` and exits with `code`; npm also leaves a marker that it ran. */
function fakeBin(tools: Record<string, {out?: string; code?: number}>, marker?: string): string {
  const bin = fresh('bin')
  for (const [tool, {out = '', code = 0}] of Object.entries(tools)) {
    const mark = marker === undefined ? '' : `echo "$0 $*" >> ${JSON.stringify(marker)}\n`
    writeFileSync(path.join(bin, tool), `#!/bin/sh\n${mark}printf '%s\\n' ${JSON.stringify(out)}\nexit ${code}\n`, {mode: 0o755})
  }
  return bin
}

function gpuCheck(args: string[], env: Record<string, string>, timeout = 20_000) {
  return spawnSync('bash', [SCRIPT, ...args], {encoding: 'utf8', env: {...process.env, ...env}, timeout})
}

describe('without a GPU', () => {
  test('one line naming what it looked at, exit 3, within seconds, nothing installed or written', () => {
    const root = fresh('root')
    const marker = path.join(tmp, 'npm-ran')
    const bin = fakeBin({npm: {}}, marker)
    const logs = path.join(tmp, 'no-gpu-logs')
    const t0 = Date.now()
    const r = gpuCheck([logs], {GPU_CHECK_ROOT: root, GPU_CHECK_NVIDIA_SMI: 'no-such-nvidia-smi', PATH: `${bin}:${process.env.PATH}`})
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`)
    assert.equal(r.status, 3, r.stdout + r.stderr)
    assert.equal(r.stderr, '')
    assert.equal(
      r.stdout,
      `gpu-check: no NVIDIA GPU found (looked at: no-such-nvidia-smi on PATH: not found; ${root}/dev/nvidia0: missing; ${root}/proc/driver/nvidia/gpus/: empty or missing); nothing was installed or run\n`,
    )
    assert.ok(!existsSync(marker), 'npm was not run')
    assert.ok(!existsSync(logs), 'no log folder was made')
  })

  test('on this machine as it is: the same one line and exit 3', () => {
    const r = spawnSync('bash', [SCRIPT], {encoding: 'utf8', timeout: 20_000})
    if (existsSync('/dev/nvidia0')) return // a GPU machine runs the real check instead
    assert.equal(r.status, 3)
    assert.match(r.stdout, /^gpu-check: no NVIDIA GPU found \(looked at: .*nvidia-smi.*\/dev\/nvidia0: missing; \/proc\/driver\/nvidia\/gpus\/: empty or missing\); nothing was installed or run\n$/)
  })

  test('a nvidia-smi that lists no GPU, or CUDA_VISIBLE_DEVICES=-1 over a GPU, is no GPU', () => {
    const root = fresh('root')
    const bin = fakeBin({'nvidia-smi': {out: 'No devices were found', code: 6}})
    const r = gpuCheck([], {GPU_CHECK_ROOT: root, PATH: `${bin}:${process.env.PATH}`})
    assert.equal(r.status, 3)
    assert.match(r.stdout, /looked at: nvidia-smi -L: lists no GPU; /)
    mkdirSync(path.join(root, 'dev'))
    writeFileSync(path.join(root, 'dev', 'nvidia0'), '')
    const hidden = gpuCheck([], {GPU_CHECK_ROOT: root, CUDA_VISIBLE_DEVICES: '-1'})
    assert.equal(hidden.status, 3)
    assert.equal(hidden.stdout, "gpu-check: no NVIDIA GPU found (looked at: CUDA_VISIBLE_DEVICES='-1' hides every GPU; unset it); nothing was installed or run\n")
  })
})

test('a GPU is any of: nvidia-smi -L listing one, /dev/nvidia0, an entry in /proc/driver/nvidia/gpus (--detect)', () => {
  const none = {GPU_CHECK_NVIDIA_SMI: 'no-such-nvidia-smi'}
  const smi = fakeBin({'nvidia-smi': {out: 'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-0000)'}})
  const bySmi = gpuCheck(['--detect'], {GPU_CHECK_ROOT: fresh('root'), PATH: `${smi}:${process.env.PATH}`})
  assert.equal(bySmi.status, 0, bySmi.stdout)
  assert.equal(bySmi.stdout, 'gpu-check: NVIDIA GPU found (nvidia-smi -L: GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-0000))\n')
  const dev = fresh('root')
  mkdirSync(path.join(dev, 'dev'))
  writeFileSync(path.join(dev, 'dev', 'nvidia0'), '')
  assert.equal(gpuCheck(['--detect'], {...none, GPU_CHECK_ROOT: dev}).stdout, `gpu-check: NVIDIA GPU found (${dev}/dev/nvidia0)\n`)
  const proc = fresh('root')
  mkdirSync(path.join(proc, 'proc/driver/nvidia/gpus/0000:00:04.0'), {recursive: true})
  const byProc = gpuCheck(['--detect'], {...none, GPU_CHECK_ROOT: proc})
  assert.equal(byProc.status, 0)
  assert.equal(byProc.stdout, `gpu-check: NVIDIA GPU found (${proc}/proc/driver/nvidia/gpus/0000:00:04.0)\n`)
})

/** Sources the script (which then runs nothing by itself) and runs `body` in the same bash. */
function sourced(body: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', `source ${JSON.stringify(SCRIPT)}\n${body}`], {encoding: 'utf8', env: {...process.env, ...env}, timeout: 30_000})
}

test('sourcing the script defines its functions and runs nothing', () => {
  const r = sourced('type gpu_check_main step gpu_check_summary > /dev/null && echo defined')
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout, 'defined\n')
})

test('the step lines, a step whose prerequisite failed is not run, and the summary line', () => {
  const logs = fresh('logs')
  const r = sourced(
    `LOGS=${JSON.stringify(logs)}
     good() { REASON='GPU:0 Stand-in A100'; }
     bad() { REASON='exit 1: vgg-repro setup: FAILED (log: x.log)'; return 1; }
     silent() { return 4; }
     step detect good
     step setup bad
     step doctor good setup
     step other silent
     step last good detect
     gpu_check_summary "$GPU_CHECK_PASSED" "$GPU_CHECK_FAILED" "$LOGS" "\${GPU_CHECK_FAILURES[@]}"`,
  )
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'PASS detect (0 s): GPU:0 Stand-in A100',
    'FAIL setup (0 s): exit 1: vgg-repro setup: FAILED (log: x.log)',
    'FAIL doctor (0 s): not run: needs setup, which did not pass',
    'FAIL other (0 s): failed (exit 4)',
    'PASS last (0 s): GPU:0 Stand-in A100',
    `gpu-check: 2 of 5 steps passed, 3 failed: setup doctor other (logs: ${logs})`,
  ])
  // the transcript in the log folder has the same lines
  assert.equal(readFileSync(path.join(logs, 'gpu-check.txt'), 'utf8'), r.stdout.split('\n').slice(0, 5).join('\n') + '\n')
})

test('the summary line: all passed, or how many failed and which (--summary)', () => {
  const s = (...a: string[]) => spawnSync('bash', [SCRIPT, '--summary', ...a], {encoding: 'utf8'}).stdout
  assert.equal(s('13', '0', '/l'), 'gpu-check: all 13 steps passed (logs: /l)\n')
  assert.equal(s('11', '2', '/l', 'setup-gpu', 'bf16-vs-fp32'), 'gpu-check: 11 of 13 steps passed, 2 failed: setup-gpu bf16-vs-fp32 (logs: /l)\n')
})

test('a command that fails or hangs: its log line and where the log is, or that it timed out', () => {
  const logs = fresh('logs')
  const r = sourced(
    `LOGS=${JSON.stringify(logs)}
     f() { run thing 10 sh -c 'echo "2026-01-01 00:00:00.000001: I tensorflow/core/x.cc:1] noise" >&2; echo "vgg-repro: no such folder /d" >&2; exit 2'; }
     h() { run slow 1 sleep 30; }
     step thing f
     step slow h`,
  )
  const lines = r.stdout.trim().split('\n')
  assert.equal(lines[0], `FAIL thing (0 s): exit 2: vgg-repro: no such folder /d (log: ${logs}/thing.log)`)
  assert.match(lines[1], /^FAIL slow \(\d s\): timed out after 1 s: sleep 30$/)
  assert.match(readFileSync(path.join(logs, 'commands.txt'), 'utf8'), /^thing: sh -c .*\nslow: sleep 30\n$/)
})

describe("the judges of the steps' outputs, on sample outputs of a GPU machine", () => {
  const dir = fresh('samples')
  const file = (name: string, content: unknown) => {
    const p = path.join(dir, name)
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
    return p
  }
  /** Runs `check ARGS...` in the sourced script: [exit status, reason]. */
  const judge = (...args: string[]): [number, string] => {
    const r = sourced(`check ${args.map((a) => JSON.stringify(a)).join(' ')}; rc=$?; printf '%s\\n' "$REASON"; exit $rc`)
    return [r.status ?? -1, r.stdout.trim()]
  }
  const cuda = {device: 'NVIDIA A100-SXM4-40GB', computeCapability: '8.0', driver: '550.54.15', driverCuda: '12.4', runtime: '12.5', cudnn: '9.3.0', libraries: ['/usr/lib/libcuda.so.550.54.15'], notes: []}
  const doctor = {backend: 'tensorflow', source: '/r/.native/tfjs-node-gpu', tfVersion: '2.21.0', gpu: true, cuda, precision: {precision: 'bf16', reason: 'GPU NVIDIA A100-SXM4-40GB (compute capability 8.0) computes bf16 natively'}, convGflops: 9120, problems: []}
  const tfLog = file('tf.log', '2026-12-05 10:00:00.000001: I tensorflow/core/common_runtime/gpu/gpu_device.cc:2019] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 38402 MB memory:  -> device: 0, name: NVIDIA A100-SXM4-40GB, pci bus id: 0000:00:04.0, compute capability: 8.0\n')
  const cpuLog = file('cpu.log', '2026-12-05 10:00:00.000001: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized\n2026-12-05 10:00:00.2: W tensorflow/core/common_runtime/gpu/gpu_device.cc:2344] Cannot dlopen some GPU libraries. Skipping registering GPU devices...\n')

  test('doctor: the GPU facts, or why TensorFlow does not compute on the GPU', () => {
    assert.deepEqual(judge('doctor', file('d.json', doctor), tfLog), [0, 'GPU:0 NVIDIA A100-SXM4-40GB, compute capability 8.0, driver 550.54.15 (CUDA 12.4); TensorFlow 2.21.0 loaded CUDA 12.5, cuDNN 9.3.0; conv 9120 GFLOP/s'])
    const [code, why] = judge('doctor', file('d2.json', {...doctor, gpu: false, problems: ["TensorFlow's GPU build is loaded but has not loaded the CUDA driver"]}), cpuLog)
    assert.equal(code, 1)
    assert.match(why, /^TensorFlow does not compute on the GPU: TensorFlow's GPU build .*; TensorFlow: .*Cannot dlopen some GPU libraries/)
    assert.match(judge('doctor', file('d3.json', {...doctor, source: '/r/.native/tfjs-node'}), tfLog)[1], /^the CPU build was loaded/)
    assert.match(judge('doctor', file('d4.json', {...doctor, cuda: {...cuda, cudnn: null, notes: ['CUDA probe: x']}}), tfLog)[1], /: cudnn unknown \(CUDA probe: x\)$/)
    assert.match(judge('doctor', path.join(dir, 'missing.json'), tfLog)[1], /^doctor printed no JSON/)
  })

  test("auto precision: bf16 from compute capability 8.0, fp32 below, as doctor's rule says", () => {
    assert.equal(judge('precision', file('p.json', doctor))[0], 0)
    const t4 = {...doctor, cuda: {...cuda, computeCapability: '7.5'}}
    assert.match(judge('precision', file('p2.json', t4))[1], /^auto -> bf16 on compute capability 7.5, the rule says fp32/)
    assert.deepEqual(judge('expected', file('p3.json', t4)), [0, 'fp32'])
    assert.deepEqual(judge('expected', file('p4.json', doctor)), [0, 'bf16'])
  })

  test('a training: finished, finite loss, the expected precision, and on the GPU by TensorFlow\'s log', () => {
    const metrics = file('metrics.jsonl', JSON.stringify({epoch: 1, trainLoss: 2.2, trainImages: 640, imgPerS: 4100}) + '\n')
    const ckpt = file('ckpt', 'x')
    const train = {backend: 'tensorflow', stoppedBy: 'epochs', checkpoint: ckpt, metricsPath: metrics, epochs: 1, valTop1Err: 81.7, wallMs: 9000, job: {precision: 'bf16', net: {crop: 128}}}
    const t = file('t.json', train)
    assert.deepEqual(judge('train', t, tfLog, 'bf16', 'PASS'), [0, '1 epoch(s) of 640 images at crop 128, bf16, loss 2.200, minival top-1 81.7%, 4100.0 img/s, 9.0 s, on GPU:0 (TensorFlow log)'])
    assert.match(judge('train', t, cpuLog, 'bf16', 'PASS')[1], /^TensorFlow's log shows no GPU device .*: it ran on the CPU; TensorFlow: .*Cannot dlopen/)
    assert.match(judge('train', t, tfLog, 'fp32', 'PASS')[1], /^computed in bf16, but auto should pick fp32/)
    const quiet = file('quiet.log', '')
    assert.match(judge('train', t, quiet, 'bf16', 'PASS')[1], /GPU use not in the log/)
    assert.equal(judge('train', t, quiet, 'bf16', 'FAIL')[0], 1)
    assert.match(judge('train', file('t2.json', {...train, stoppedBy: 'nan', message: 'loss is NaN at step 3'}), tfLog, '', 'PASS')[1], /^stopped by nan: loss is NaN/)
  })

  test('an evaluation: images scored, its error and interval', () => {
    const e = file('e.json', {technique: 'multi-crop', scales: [146], n: 100, top1Err: 62, top1Ci: [52.2, 70.9], top5Err: 9, precision: 'bf16', parts: [{imgPerS: 210.4}]})
    assert.deepEqual(judge('eval', e, tfLog, 'bf16', 'PASS'), [0, 'multi-crop Q=146: n=100, top-1 62.0% [52.2, 70.9], top-5 9.0%, 210.4 img/s, bf16, on GPU:0 (TensorFlow log)'])
    assert.match(judge('eval', file('e2.json', {n: 0, top1Err: null}), tfLog, '', 'PASS')[1], /^no images scored/)
  })

  const bench = (source: string, configs: Record<string, unknown>) => ({backend: {name: 'tensorflow', source}, profile: {batch: 64, crop: 128}, configs})
  test('GPU against CPU: the GPU step must be faster, each from its own build', () => {
    const g = file('g.json', bench('.native/tfjs-node-gpu', {A: {oursImgPerS: 5000}, D: {oursImgPerS: 2500}}))
    const c = file('c.json', bench('.native/tfjs-node', {A: {oursImgPerS: 250}, D: {oursImgPerS: 100}}))
    assert.deepEqual(judge('gpu-vs-cpu', g, c), [0, 'fp32 training step at batch 64, crop 128: A x20.0 (GPU 5000.0, CPU 250.0 img/s); D x25.0 (GPU 2500.0, CPU 100.0 img/s)'])
    assert.match(judge('gpu-vs-cpu', c, c)[1], /^bench loaded the CPU build/)
    const slow = file('slow.json', bench('.native/tfjs-node-gpu', {A: {oursImgPerS: 200}, D: {oursImgPerS: 2500}}))
    assert.match(judge('gpu-vs-cpu', slow, c)[1], /^the GPU step is not faster than the CPU's: .*A x0\.8/)
  })

  test('bf16 against fp32 on the GPU: slower bf16 fails where auto would pick it, is reported where it would not', () => {
    const rows = (r: number) => ({A: {oursImgPerS: 1000, bf16: {imgPerS: 1000 * r}, bf16OverFp32: r}, D: {oursImgPerS: 500, bf16: {imgPerS: 500 * r}, bf16OverFp32: r}})
    const fast = file('b1.json', bench('.native/tfjs-node-gpu', rows(1.8)))
    assert.deepEqual(judge('bf16', fast, file('dd.json', doctor)), [0, 'A bf16 x1.80 of fp32 (1800.0 vs 1000.0 img/s); D bf16 x1.80 of fp32 (900.0 vs 500.0 img/s); compute capability 8.0: auto picks bf16'])
    const slow = file('b2.json', bench('.native/tfjs-node-gpu', rows(0.7)))
    assert.match(judge('bf16', slow, file('dd2.json', doctor))[1], /^auto picks bf16 on compute capability 8\.0, but it measured slower/)
    assert.deepEqual(judge('bf16', slow, file('dd3.json', {...doctor, cuda: {...cuda, computeCapability: '7.5'}}))[0], 0)
    assert.match(judge('bf16', file('b3.json', bench('.native/tfjs-node-gpu', {A: {oursImgPerS: 1000}})), file('dd4.json', doctor))[1], /^bf16 was not timed/)
  })
})

test('a pretended GPU machine whose npm fails: install FAILs with npm\'s line, every later step is not run, exit 1, logs packed', () => {
  const root = fresh('gpu-root')
  mkdirSync(path.join(root, 'dev'))
  writeFileSync(path.join(root, 'dev', 'nvidia0'), '')
  // npm and node fail at once; nothing real is installed or run
  const bin = fakeBin({npm: {out: 'npm error network request to https://registry.npmjs.org failed', code: 1}, node: {code: 1}, 'nvidia-smi': {code: 9}, python3: {code: 1}})
  const logs = path.join(tmp, 'gpu-logs')
  const r = gpuCheck([logs], {GPU_CHECK_ROOT: root, PATH: `${bin}:/usr/bin:/bin`}, 60_000)
  assert.equal(r.status, 1, r.stdout + r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.equal(lines[0], `gpu-check: logs in ${logs} (each step's command and output: commands.txt, <step>.log)`)
  // seconds are whole wall-clock seconds: a step that straddles a second boundary reads 1 s
  assert.match(lines[1], new RegExp(`^PASS gpu-visible \\(\\d+ s\\): ${esc(root)}/dev/nvidia0$`))
  assert.match(lines[2], new RegExp(`^FAIL install \\(\\d+ s\\): exit 1: npm error network request to https://registry.npmjs.org failed \\(log: ${esc(logs)}/install\\.log\\)$`))
  const rest = lines.slice(3, -2)
  assert.deepEqual(
    rest.map((l) => l.split(' ')[1]),
    ['setup-gpu', 'doctor', 'auto-precision', 'image-folder', 'train-smoke', 'train-subset-slice', 'eval-dense', 'eval-multi-crop', 'bench-gpu-fp32', 'gpu-vs-cpu', 'bf16-vs-fp32'],
  )
  assert.ok(rest.every((l) => /^FAIL \S+ \(0 s\): not run: needs \S+, which did not pass$/.test(l)), rest.join('\n'))
  assert.match(lines.at(-2)!, new RegExp(`^gpu-check: \\d+ s; please send back ${esc(logs)}\\.tar\\.gz`))
  assert.equal(lines.at(-1), `gpu-check: 1 of 13 steps passed, 12 failed: install ${rest.map((l) => l.split(' ')[1]).join(' ')} (logs: ${logs})`)
  assert.deepEqual(readdirSync(logs).sort(), ['commands.txt', 'env.txt', 'gpu-check.txt', 'install.log', 'nvidia-smi.log'])
  assert.ok(existsSync(`${logs}.tar.gz`))
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
  // the CUDA fields (src/backend/doctor.ts; dist/ as built by npm test): all null here
  if (d.cuda !== undefined) for (const k of ['device', 'computeCapability', 'driver', 'driverCuda', 'runtime', 'cudnn']) assert.equal(d.cuda[k], null, k)
})
