import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {before, describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {measureCompute} from '../../src/bench/compute-speed.js'
import {machineGemmBf16} from '../../src/bench/gemm.js'
import {readRunLog} from '../../src/bench/run-log.js'
import {installFastStep, uninstallFastStep} from '../../src/backend/fast-step.js'
import {parseHistory} from '../../src/bench/history.js'
import {profileOps} from '../../src/bench/op-profile.js'
import {lastJsonLine} from '../../src/bench/python.js'
import {ratioCell, renderMarkdown, writeBenchReport} from '../../src/bench/report.js'
import {imagesPerSecond, median, quantile, summarize} from '../../src/bench/stats.js'
import {randomBatch, type StepSetup} from '../../src/bench/step-runner.js'
import {torchPlan} from '../../src/bench/torch-reference.js'
import {measureEnvArms, parseEnvArm, REFERENCE_ARM} from '../../src/bench/env-arms.js'
import type {BenchResult, ConfigBench} from '../../src/bench/types.js'
import {layersOf, planNet, type NetSpec} from '../../src/models/index.js'

const TINY: NetSpec = {config: 'A-LRN', widthFactor: 1 / 16, fcWidth: 16, numClasses: 10, crop: 32}

before(async () => {
  await initBackend()
})

describe('bench statistics', () => {
  it('medians and quantiles interpolate between order statistics', () => {
    assert.equal(median([5, 1, 3]), 3)
    assert.equal(median([4, 1, 3, 2]), 2.5)
    assert.equal(quantile([10, 20, 30, 40, 50], 0.25), 20)
    assert.throws(() => median([]), /empty/)
    const s = summarize([3, 1, 2, 100])
    assert.deepEqual([s.n, s.min, s.max, s.median], [4, 1, 100, 2.5])
    assert.equal(imagesPerSecond(64, 250), 256)
  })

  it('a ratio cell shows the median ratio and, over several rounds, the per-round range', () => {
    // rounds: bf16 1000/500 = 2.0, 900/600 = 1.5, 1100/500 = 2.2 -> median 2.0, range 1.50-2.20
    assert.equal(ratioCell(2, [1000, 900, 1100], [500, 600, 500], 'x'), 'x2.00 (1.50–2.20)')
    assert.equal(ratioCell(2, [1000], [500], 'x'), 'x2.00')
    assert.equal(ratioCell(1.3, undefined, undefined), '1.30')
    assert.equal(ratioCell(null, [1, 2], [1, 2]), '–')
  })
})

describe('bench history', () => {
  it('parses entries and rejects unknown keys and statuses', () => {
    const ok = parseHistory('- {date: 2026-11-28, change: x, where: y, metric: A img/s, before: 1, after: 2, status: kept}\n')
    assert.equal(ok[0].date, '2026-11-28')
    assert.equal(ok[0].before, '1')
    assert.deepEqual(parseHistory('[]'), [])
    assert.throws(() => parseHistory('- {date: d, change: x, where: y, metric: m, before: 1, after: 2, status: kept, oops: 1}'), /entry 1: unknown key oops/)
    assert.throws(() => parseHistory('- {date: d, change: x, where: y, metric: m, before: 1, after: 2, status: maybe}'), /status/)
  })
})

describe('bench plumbing', () => {
  it('reads the last JSON line of a script', () => {
    assert.deepEqual(lastJsonLine('warning\n{"a":1}\n{"ok":true}\nbye\n'), {ok: true})
    assert.equal(lastJsonLine('nothing'), undefined)
  })

  it('sends PyTorch the same layers as our plan', () => {
    const plan = torchPlan(TINY)
    const ours = planNet(TINY)
    assert.equal(plan.convs.length, layersOf(ours, 'conv').length)
    assert.deepEqual(plan.convs[0], {k: 3, cin: 3, cout: 4, lrn: true, pool: true})
    assert.deepEqual(plan.convs[2], {k: 3, cin: 8, cout: 16, lrn: false, pool: false})
    assert.deepEqual(plan.fcs.map((f) => [f.in, f.out]), layersOf(ours, 'fc').map((f) => f.kernelShape))
    assert.deepEqual(plan.fcs.map((f) => [f.relu, f.dropout]), [[true, true], [true, true], [false, false]])
  })

  it('measures the bfloat16 GEMM rate on our backend when PyTorch is absent (fetching a bf16 result broke it)', async () => {
    const before = tf.memory().numTensors
    const rate = await machineGemmBf16(undefined, 64, 2)
    assert.ok(rate !== null && rate.engine === 'tfjs' && Number.isFinite(rate.gflops) && rate.gflops > 0, JSON.stringify(rate))
    assert.equal(tf.memory().numTensors, before)
  })

  it('random batches are deterministic', () => {
    const a = randomBatch(2, 32, 10, 7)
    const b = randomBatch(2, 32, 10, 7)
    assert.deepEqual(a.labels, b.labels)
    assert.equal(a.images[100], b.images[100])
  })

  it('times the trainer step on a tiny net without leaking tensors', async () => {
    const setup: StepSetup = {spec: TINY, init: {kind: 'glorot'}, batch: 4, lr: 0.01, momentum: 0.9, weightDecay: 5e-4, dropout: 0.5, seed: 1}
    const before = tf.memory().numTensors
    const r = await measureCompute(setup, {warmup: 1, steps: 3, profile: true})
    assert.equal(tf.memory().numTensors, before)
    assert.equal(r.stepMs.n, 3)
    assert.ok(r.imgPerS > 0)
    if (tf.getBackend() === 'tensorflow') {
      // the graph engine: the whole step is one session run (plus the running sums)
      assert.ok(r.profile !== undefined && r.profile.byOp.some((o) => o.name === 'SessionRun' && o.count === 1), 'one session run per step')
      assert.ok(r.profile.ops < 10, `native calls per step: ${r.profile.ops}`)
    }
  })

  it("engine 'eager' times the eager step (one native call per op)", async () => {
    const setup: StepSetup = {spec: TINY, init: {kind: 'glorot'}, batch: 4, lr: 0.01, momentum: 0.9, weightDecay: 5e-4, dropout: 0.5, seed: 1, engine: 'eager'}
    const r = await measureCompute(setup, {warmup: 1, steps: 2, profile: true})
    if (tf.getBackend() === 'tensorflow') {
      assert.ok(r.profile !== undefined && r.profile.ops > 20, 'native ops counted')
      assert.ok(r.profile.byOp.some((o) => o.name === 'Conv2D'))
      assert.ok(!r.profile.byOp.some((o) => o.name === 'SessionRun'))
    }
  })

  it('the fast Step kernel gives the same values as the original', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.25, 3])
    // initBackend installed the fast kernel on the native backend: compare with the stock one.
    uninstallFastStep()
    const want = Array.from(tf.step(x).dataSync())
    if (installFastStep()) {
      const {result, profile} = profileOps(() => tf.step(x))
      assert.deepEqual(Array.from(result.dataSync()), want)
      assert.equal(profile?.ops, 2)
      result.dispose()
    }
    x.dispose()
  })
})

function fakeResult(): BenchResult {
  const t = summarize([10, 11, 12])
  const row: ConfigBench = {
    config: 'A',
    forwardGflopPerImage: 0.08,
    oursImgPerS: 300,
    oursStepMs: t,
    oursWallImgPerS: 290,
    oursGflops: 72,
    matrixFraction: 0.22,
    torchImgPerS: 250,
    torchStepMs: t,
    torchMemoryFormat: 'channels_last',
    ratioVsTorch: 1.2,
    pipeline: {imgPerS: 280, dataWaitFraction: 0.05, stepMs: t, waitMs: t, warmup: 2, steps: 8, workers: 1},
    ops: {ops: 300, uploads: 40, opMs: 180, totalMs: 200, top: [{name: 'Conv2D', count: 8, ms: 50}]},
    eager: {imgPerS: 360, stepMs: t, gflops: 86.4, matrixFraction: 0.27, ratioVsTorch: 1.44},
  }
  return {
    version: 1,
    date: '2026-11-28T12:00:00Z',
    quick: true,
    machine: {cpu: 'Test CPU', cores: 2, memGb: 8, node: 'v20'},
    load: {start: 0.3, end: 2.1},
    env: {TF_NUM_INTEROP_THREADS: '1'},
    backend: {name: 'tensorflow', tfVersion: '2.21.0', source: '.native'},
    profile: {name: 'subset', crop: 64, widthFactor: 0.25, fcWidth: 512, batch: 64, numClasses: 10, trainScale: 73, evalBatchSize: 64},
    protocol: {warmup: 2, steps: 6, torchWarmup: 2, torchSteps: 6, pipelineWarmup: 3, pipelineSteps: 8},
    machineGemmGflops: 325,
    gemmSource: 'numpy test',
    gemmRuns: [320, 325],
    perOpOverheadUs: 15,
    torch: {version: '2.13.0', threads: 2},
    configs: {A: row},
    dataWaitFraction: 0.05,
    data: {root: '/data', trainImages: 100, valImages: 50},
    decode: {images: 32, msPerImage: 1.5, cpuMsPerImage: 2},
    eval: {
      config: 'D',
      denseImgPerS: 100,
      multiCropImgPerS: 5,
      dense3ScaleImgPerS: null,
      multiCrop3ScaleImgPerS: null,
      runs: [{technique: 'dense', scales: [73], images: 64, imgPerS: 100, wallMs: 640, perScale: [{scale: 73, imgPerS: 100, wallMs: 640}]}],
    },
    trainRun: {config: 'E', images: 640, peakRssMb: 900, imgPerS: 200, dataWaitFraction: 0.04, wallMs: 5000},
    peakRssMb: 900,
    wallMs: 120_000,
    history: parseHistory('- {date: 2026-11-28, change: "fast | step", where: x, metric: m, before: 1, after: 2, status: kept}'),
  }
}

describe('bench report', () => {
  it('renders the table, evaluation, memory and history', () => {
    const md = renderMarkdown(fakeResult())
    assert.match(md, /\| A \| 0\.080 \| 300\.0 \| 250\.0 \| 1\.20 \| 72\.0 \| 0\.22 \| 280\.0 \| 5\.0% \|/)
    assert.match(md, /median step time: ours 6 steps after 2 warm-up/)
    assert.match(md, /`TF_NUM_INTEROP_THREADS=1`/)
    assert.match(md, /Peak resident memory \*\*900 MB\*\*/)
    assert.match(md, /fast \\\| step/) // pipes escaped inside cells
    assert.match(md, /\| dense \| 73 \| fp32 \| 64 \| 100\.0 \|/)
    assert.match(md, /\| A \| 360\.0 \| x0\.83 \| 1\.44 \|/)
    assert.match(md, /ours\/PyTorch >= 1\.0 for all six: \*\*met\*\* in this run \(1\.20–1\.20\)/)
    assert.match(md, /data wait < 10%: \*\*met\*\*/)
  })

  it('writes bench.md and bench.json with the documented keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
    try {
      const files = await writeBenchReport(fakeResult(), dir)
      const json = JSON.parse(await readFile(files.json, 'utf8')) as BenchResult
      const a = json.configs.A!
      for (const k of ['oursImgPerS', 'torchImgPerS', 'ratioVsTorch', 'matrixFraction'] as const) assert.equal(typeof a[k], 'number', k)
      assert.equal(json.dataWaitFraction, 0.05)
      assert.equal(json.machineGemmGflops, 325)
      assert.equal(json.eval?.denseImgPerS, 100)
      assert.equal(json.eval?.multiCropImgPerS, 5)
      assert.equal(json.peakRssMb, 900)
      assert.match(await readFile(files.md, 'utf8'), /^# Benchmark/)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('logs every run and shows the spread of ours/PyTorch over the logged runs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
    try {
      const first = fakeResult() // A at 1.2
      await writeBenchReport(first, dir)
      const slow = fakeResult()
      slow.date = '2026-11-28T13:00:00Z'
      slow.configs.A = {...slow.configs.A!, oursImgPerS: 200, ratioVsTorch: 0.8}
      const files = await writeBenchReport(slow, dir)
      const lines = (await readFile(files.runs, 'utf8')).trim().split('\n')
      assert.equal(lines.length, 2)
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as {configs: {A: {ratio: number}}}).configs.A.ratio), [1.2, 0.8])
      const md = await readFile(files.md, 'utf8')
      assert.match(md, /not met\*\* in this run \(0\.80–0\.80\); in 1 of 2 logged runs/)
      assert.match(md, /\| 2026-11-28 12:00 \| 0\.30 \| 1\.20 \| yes \|/)
      assert.match(md, /\| 2026-11-28 13:00 \| 0\.30 \| 0\.80 \| no \|/)
      // a torn line (killed mid-write) is skipped, not fatal
      await writeFile(files.runs, `${await readFile(files.runs, 'utf8')}{"date": "2026-11-2`)
      assert.equal((await readRunLog(files.runs)).length, 2)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})

describe('bench --env-arm', () => {
  it('parses name:KEY=VALUE lists and rejects what is not one', () => {
    assert.deepEqual(parseEnvArm('tf-default:TF_NUM_INTEROP_THREADS=0'), {name: 'tf-default', env: {TF_NUM_INTEROP_THREADS: '0'}})
    assert.deepEqual(parseEnvArm('A=1,B=x'), {name: 'A=1,B=x', env: {A: '1', B: 'x'}})
    assert.throws(() => parseEnvArm('arm:oops'), /"oops" is not KEY=VALUE/)
    assert.throws(() => parseEnvArm(`${REFERENCE_ARM}:A=1`), /choose another name/)
  })

  it('times each arm in its own process under its own settings, and renders the ratio', async () => {
    const setup: StepSetup = {spec: TINY, init: {kind: 'glorot'}, batch: 4, lr: 0.01, momentum: 0.9, weightDecay: 5e-4, dropout: 0.5, seed: 1}
    const r = await measureEnvArms({
      arms: [parseEnvArm('probe:BENCH_ENV_ARM_PROBE=7')],
      configs: ['A-LRN'],
      precisions: ['fp32'],
      setupOf: () => setup,
      warmup: 1,
      steps: 3,
      log: () => {},
    })
    assert.deepEqual(r.arms.map((a) => [a.name, a.seen.BENCH_ENV_ARM_PROBE]), [[REFERENCE_ARM, null], ['probe', '7']])
    const row = r.rows[0]
    assert.ok(row.byArm[REFERENCE_ARM].fp32! > 0 && row.byArm.probe.fp32! > 0, JSON.stringify(row))
    const md = renderMarkdown({...fakeResult(), envArms: r})
    assert.match(md, /## Environment arms, side by side/)
    assert.match(md, /\*\*probe\*\* `BENCH_ENV_ARM_PROBE=7`/)
    const ratio = (row.byArm.probe.fp32! / row.byArm[REFERENCE_ARM].fp32!).toFixed(2)
    assert.ok(md.includes(`| A-LRN | ${row.byArm[REFERENCE_ARM].fp32!.toFixed(1)} | ${row.byArm.probe.fp32!.toFixed(1)} | ${ratio} |`), md)
  })
})
