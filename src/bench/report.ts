// results/bench.md and results/bench.json from one BenchResult.
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {writeFileAtomic} from '../util/atomic-write.js'
import {markdownTable} from '../util/markdown-table.js'
import type {HistoryEntry} from './history.js'
import {appendRunLog, readRunLog, runLogEntry, type RunLogEntry} from './run-log.js'
import type {BenchResult, ConfigBench} from './types.js'

const f1 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1))
const f2 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2))
const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`)

export function renderHistory(entries: HistoryEntry[]): string[] {
  if (entries.length === 0) return ['(no entries yet)']
  return [
    markdownTable(
      ['date', 'change', 'where', 'measured', 'before', 'after', 'status'],
      entries.map((e) => [e.date, e.note !== undefined ? `${e.change} (${e.note})` : e.change, e.where, e.metric, e.before, e.after, e.status]),
    ),
  ]
}

/** bf16 over fp32 (ours) and ours bf16 / PyTorch bf16 of every logged run that measured them. */
export function renderBf16RunLog(runs: RunLogEntry[], configs: string[]): string[] {
  const withBf16 = runs.filter((e) => Object.values(e.configs).some((c) => c.oursBf16 !== undefined))
  if (withBf16.length < 2) return []
  const rows = withBf16.map((e) => [
    e.date.replace('T', ' ').slice(0, 16),
    f2(e.loadStart),
    ...configs.map((c) => `x${f2(e.configs[c]?.bf16OverFp32)} / ${f2(e.configs[c]?.ratioBf16)}`),
  ])
  return [
    `bf16 in every logged run that measured it (${withBf16.length} runs): ours bf16 over ours fp32 / ours bf16 over PyTorch bf16 autocast:`,
    '',
    markdownTable(['run (UTC)', 'load', ...configs], rows),
  ]
}

/** The ratio ours/PyTorch of every logged run, one row per run, and how often all reached 1.0. */
export function renderRunLog(runs: RunLogEntry[], configs: string[]): string[] {
  const rows = runs.map((e) => {
    const ratios = configs.map((c) => e.configs[c]?.ratio ?? null)
    const all = ratios.every((x) => x !== null) ? (ratios.every((x) => x! >= 1) ? 'yes' : 'no') : '–'
    return [e.date.replace('T', ' ').slice(0, 16), f2(e.loadStart), ...ratios.map(f2), all]
  })
  return [
    `Run-to-run spread: ours/PyTorch in every logged run of this benchmark (\`results/bench-runs.jsonl\`, ${runs.length} runs, the newest last; load = 1-minute load average at the start):`,
    '',
    markdownTable(['run (UTC)', 'load', ...configs, 'all >= 1.0'], rows),
  ]
}

/** How many logged runs had every config at ours/PyTorch >= 1.0, e.g. "3 of 4 logged runs". */
function runsMeeting(runs: RunLogEntry[]): string {
  const complete = runs.filter((e) => Object.values(e.configs).every((c) => c.ratio !== null))
  if (complete.length < 2) return ''
  const met = complete.filter((e) => Object.values(e.configs).every((c) => c.ratio! >= 1)).length
  return `; in ${met} of ${complete.length} logged runs`
}

/** The issue's targets, met or not, for the committed code (the trainer's own step). */
export function renderTargets(r: BenchResult, runs: RunLogEntry[] = []): string[] {
  const configs = Object.values(r.configs)
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**')
  const ratios = configs.map((c) => c.ratioVsTorch)
  const allAtLeast = (xs: (number | null | undefined)[]) => (xs.length === 0 || xs.some((x) => x === null || x === undefined) ? null : xs.every((x) => x! >= 1))
  const widest = configs.filter((c) => c.config === 'D' || c.config === 'E')
  const minOf = (xs: number[]) => (xs.length > 0 ? Math.min(...xs) : null)
  const wideFrac = minOf(widest.map((c) => c.matrixFraction))
  const range = (xs: (number | null | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number')
    return v.length > 0 ? `${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}` : '–'
  }
  return [
    'Targets (issue 6):',
    '',
    `- ours/PyTorch >= 1.0 for all six: ${verdict(allAtLeast(ratios))} in this run (${range(ratios)})${runsMeeting(runs)}`,
    `- data wait < 10%: ${verdict(r.dataWaitFraction === null ? null : r.dataWaitFraction < 0.1)} (worst ${pct(r.dataWaitFraction)})`,
    `- >= 0.4 of the matrix rate for the widest configs (D, E): ${verdict(wideFrac === null ? null : wideFrac >= 0.4)} (${f2(wideFrac)})`,
  ]
}

/** The mixed-precision targets (issue 19), met or not in this run. */
export function renderBf16Targets(r: BenchResult): string[] {
  const configs = Object.values(r.configs)
  if (!configs.some((c) => c.bf16 !== undefined)) return []
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**')
  const all = (xs: (number | null | undefined)[], min: number) => (xs.length === 0 || xs.some((x) => typeof x !== 'number') ? null : xs.every((x) => x! >= min))
  const span = (xs: (number | null | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number')
    return v.length > 0 ? `${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}` : '–'
  }
  const ade = configs.filter((c) => ['A', 'D', 'E'].includes(c.config))
  const de = configs.filter((c) => c.config === 'D' || c.config === 'E')
  return [
    'Targets (issue 19, mixed precision):',
    '',
    `- ours bf16 >= 1.9x ours fp32 for A, D and E: ${verdict(all(ade.map((c) => c.bf16OverFp32), 1.9))} (${ade.map((c) => `${c.config} x${f2(c.bf16OverFp32)}`).join(', ')})`,
    `- ours bf16 >= 1.0x PyTorch bf16 autocast for all six: ${verdict(all(configs.map((c) => c.ratioVsTorchBf16), 1))} (${span(configs.map((c) => c.ratioVsTorchBf16))})`,
    `- D and E >= 0.3 of the bf16 GEMM rate: ${verdict(all(de.map((c) => c.bf16MatrixFraction), 0.3))} (${de.map((c) => `${c.config} ${f2(c.bf16MatrixFraction)}`).join(', ')})`,
  ]
}

/** A ratio cell: the median ratio, and with several rounds the per-round range, `1.74 (1.40–2.20)`. */
export function ratioCell(ratio: number | null | undefined, num: readonly number[] | undefined, den: readonly number[] | undefined, prefix = ''): string {
  if (typeof ratio !== 'number') return '–'
  const cell = `${prefix}${f2(ratio)}`
  if (num === undefined || den === undefined || num.length < 2 || num.length !== den.length) return cell
  const per = num.map((n, i) => n / den[i])
  return `${cell} (${f2(Math.min(...per))}–${f2(Math.max(...per))})`
}

function bf16Row(c: ConfigBench, r: BenchResult): string[] {
  const k = c.rounds
  return [
    c.config,
    f1(c.oursImgPerS),
    f1(c.bf16?.imgPerS),
    ratioCell(c.bf16OverFp32, k?.bf16, k?.fp32, 'x'),
    f1(c.torchImgPerS),
    f1(c.torchBf16?.imgPerS),
    ratioCell(c.ratioVsTorch, k?.fp32, k?.torch),
    ratioCell(c.ratioVsTorchBf16, k?.bf16, k?.torchBf16),
    f1(c.bf16?.gflops),
    f2(c.bf16 !== undefined ? c.bf16.gflops / r.machineGemmGflops : null),
    f2(c.bf16MatrixFraction),
    [c.pipeline, c.pipelineWarm, c.pipelineJitterWarm].map((p) => f1(p?.imgPerS)).join(' / '),
    [c.pipeline, c.pipelineWarm, c.pipelineJitterWarm].map((p) => pct(p?.dataWaitFraction)).join(' / '),
  ]
}

function configRow(c: ConfigBench): string[] {
  return [
    c.config,
    c.forwardGflopPerImage.toFixed(3),
    f1(c.oursImgPerS),
    f1(c.torchImgPerS),
    ratioCell(c.ratioVsTorch, c.rounds?.fp32, c.rounds?.torch),
    f1(c.oursGflops),
    f2(c.matrixFraction),
    f1(c.pipeline?.imgPerS),
    pct(c.pipeline?.dataWaitFraction),
  ]
}

/** The --env-arm section: each arm's training-step images/s and its ratio to the bench's own settings. */
export function renderEnvArms(r: BenchResult): string[] {
  const e = r.envArms
  if (e === undefined || e === null) return []
  const precisions = [...new Set(e.rows.flatMap((row) => Object.values(row.byArm).flatMap((v) => Object.keys(v))))]
  const [ref, ...others] = e.arms
  const show = (env: Record<string, string | null>) => Object.entries(env).map(([k, v]) => `\`${k}=${v ?? '(unset)'}\``).join(', ') || '–'
  const header = ['config', ...e.arms.flatMap((a) => precisions.map((p) => `${a.name} ${p} img/s`)), ...others.flatMap((a) => precisions.map((p) => `${a.name} / ${ref.name} ${p}`))]
  const rows = e.rows.map((row) => [
    row.config,
    ...e.arms.flatMap((a) => precisions.map((p) => f1(row.byArm[a.name]?.[p as keyof (typeof row.byArm)[string]]))),
    ...others.flatMap((a) =>
      precisions.map((p) => {
        const k = p as keyof (typeof row.byArm)[string]
        const x = row.byArm[a.name]?.[k]
        const y = row.byArm[ref.name]?.[k]
        return x !== undefined && y !== undefined ? f2(x / y) : '–'
      }),
    ),
  ])
  return [
    '## Environment arms, side by side',
    '',
    `The training step on random input (median of ${e.steps} steps after ${e.warmup} warm-up), each arm in a fresh process because TensorFlow reads these settings when it starts; ` +
      'arms alternate their order per config. What each arm\'s process saw after the backend started: ' +
      e.arms.map((a) => `**${a.name}** ${show(a.seen)}`).join('; ') +
      '.',
    '',
    markdownTable(header, rows),
    '',
  ]
}

export function renderMarkdown(r: BenchResult, runs: RunLogEntry[] = []): string {
  const p = r.profile
  const lines: string[] = []
  const torch = 'skipped' in r.torch ? r.torch.skipped : `PyTorch ${r.torch.version} (${r.torch.threads} threads)`
  lines.push(`# Benchmark${r.quick ? ' (quick)' : ''}: training and evaluation speed`, '')
  lines.push(
    `Run ${r.date} on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memGb.toFixed(0)} GB; Node ${r.machine.node}; ` +
      `backend ${r.backend.name} (TensorFlow ${r.backend.tfVersion}); ${torch}. ` +
      `1-minute load before measuring: ${f2(r.load.start)}${r.load.waitedFor !== undefined ? ` (waited ${Math.round(r.load.waitedFor / 1000)} s for it)` : ''}; after: ${f2(r.load.end)} (includes this run). ` +
      `Whole run: ${(r.wallMs / 60_000).toFixed(1)} min.`,
    '',
  )
  if (r.load.start !== null && r.load.start >= 0.7) {
    lines.push(
      `> **Measured on a busy machine** (1-minute load ${f2(r.load.start)} at the start on ${r.machine.cores} cores): every number is lower than on an idle machine, ` +
        'and the ours/PyTorch ratios are not representative: PyTorch\'s OpenMP threads lose far more than TensorFlow\'s thread pool when cores are shared. Re-run when the load is below 0.7.',
      '',
    )
  }
  const env = Object.entries(r.env)
  lines.push(`Settings: ${env.length > 0 ? env.map(([k, v]) => `\`${k}=${v}\``).join(', ') : 'TensorFlow thread defaults (no TF_NUM_* variables set)'}.`, '')
  lines.push(
    `Profile \`${p.name}\`: crop ${p.crop}, width x${p.widthFactor}, FC ${p.fcWidth}, ${p.numClasses} classes, batch ${p.batch}, ` +
      `training scale S=${p.trainScale}. One step = upload, forward with dropout, soft-max cross-entropy, gradients, SGD momentum + L2 on kernels ` +
      '(the trainer\'s step engine: one TensorFlow session run on the native backend, see src/train/step-engine.ts); PyTorch runs the same layers, batch and optimizer in its faster memory format.',
    '',
  )
  lines.push('## Training step', '')
  const configs = Object.values(r.configs)
  const pr = r.protocol
  lines.push(
    `Images/s from the median step time: ours ${pr.steps} steps after ${pr.warmup} warm-up, PyTorch ${pr.torchSteps} after ${pr.torchWarmup} warm-up (+ a short trial of each memory format), ` +
      `interleaved per config in this one run` +
      ((pr.rounds ?? 1) > 1
        ? `, in ${pr.rounds} rounds per config (every arm back to back in each, the order reversed every other round): img/s are the median round's, each ratio the median of its per-round ratios, (range) the per-round spread. `
        : '. ') +
      `GFLOP/s = 3 x forward FLOPs x images/s; "of matrix rate" divides by the machine's float32 GEMM rate ` +
      `(**${r.machineGemmGflops.toFixed(0)} GFLOP/s**: ${r.gemmSource}; runs ${r.gemmRuns.map((g) => g.toFixed(0)).join(', ')}; the larger is used). ` +
      `Pipeline = the same step fed by TrainBatchStream from \`${'root' in r.data ? r.data.root : '–'}\`: images/s over ${pr.pipelineSteps} steps after ${pr.pipelineWarmup} warm-up, wall time including waits, ${configs[0]?.pipeline?.workers ?? '–'} decode worker thread(s); data wait = waiting / wall.`,
    '',
  )
  if (configs.some((c) => c.bf16 !== undefined)) {
    lines.push(
      '### fp32 and bf16 mixed precision, side by side',
      '',
      `bf16 = bfloat16 convolutions, matrix products and their gradients, float32 weights, momentum, loss and update (src/backend/precision.ts); PyTorch bf16 = the same step under ` +
        "`torch.autocast('cpu', dtype=torch.bfloat16)` in its faster memory format. Matrix rates: fp32 " +
        `**${r.machineGemmGflops.toFixed(0)} GFLOP/s** (${r.gemmSource}), bf16 **${r.bf16GemmGflops != null ? r.bf16GemmGflops.toFixed(0) : '–'} GFLOP/s** (${r.bf16GemmSource ?? 'not measured'}). ` +
        `The pipeline columns are the step fed by TrainBatchStream in the precision training uses here, ${r.precision?.training ?? 'fp32'} (${r.precision?.reason ?? ''}): ` +
        `the first epoch (every JPEG decoded), then a second pass served from the decoded-image cache as every later epoch is, at fixed S=${p.trainScale} and with the jittered nets' S range ` +
        `[${p.trainScale};${configs.find((c) => c.pipelineJitterWarm !== undefined)?.pipelineJitterWarm?.scaleMax ?? '–'}] (each crop resampled from the cache). A data wait well above 10% means decoding limits training.`,
      '',
      markdownTable(
        [
          'config',
          'ours fp32 img/s',
          'ours bf16 img/s',
          'bf16 / fp32',
          'PyTorch fp32',
          'PyTorch bf16',
          'ours/PyTorch fp32',
          'ours/PyTorch bf16',
          'ours bf16 GFLOP/s',
          'of fp32 GEMM',
          'of bf16 GEMM',
          'pipeline img/s: 1st epoch / cached / cached jitter',
          'data wait (same)',
        ],
        configs.map((c) => bf16Row(c, r)),
      ),
      '',
      ...renderBf16Targets(r),
      '',
      '### fp32',
      '',
    )
  }
  lines.push(
    markdownTable(
      ['config', 'fwd GFLOP/img', 'ours img/s', 'PyTorch img/s', 'ours/PyTorch', 'ours GFLOP/s', 'of matrix rate', 'pipeline img/s', 'data wait'],
      configs.map(configRow),
    ),
    '',
  )
  const withEager = configs.filter((c) => c.eager !== undefined)
  if (withEager.length > 0) {
    lines.push(
      "For comparison, the same step on the eager engine (tfjs ops and autodiff, one native call per op: the engine of the wasm and cpu backends, and of `VGG_REPRO_EAGER_STEP=1`), same run, same protocol:",
      '',
      markdownTable(
        ['config', 'img/s', 'graph / eager', 'vs PyTorch', 'GFLOP/s', 'of matrix rate', 'native calls/step'],
        withEager.map((c) => {
          const p = c.eager!
          return [c.config, f1(p.imgPerS), `x${f2(c.oursImgPerS / p.imgPerS)}`, f2(p.ratioVsTorch), f1(p.gflops), f2(p.matrixFraction), p.ops !== undefined ? `${p.ops.ops} (was ${c.ops?.ops ?? '–'})` : '–']
        }),
      ),
      '',
    )
  }
  lines.push(...renderTargets(r, runs), '')
  if (runs.length > 1) lines.push(...renderRunLog(runs, Object.keys(r.configs)), '')
  const bf16Log = renderBf16RunLog(runs, Object.keys(r.configs))
  if (bf16Log.length > 0) lines.push(...bf16Log, '')
  if ('skipped' in r.torch) lines.push(`PyTorch: ${r.torch.skipped}`, '')
  if ('skipped' in r.data) lines.push(`Input pipeline: ${r.data.skipped}`, '')
  if (r.decode !== null) {
    lines.push(
      `Training input cost (loadTrainSample at S=${p.trainScale}, one image at a time, ${r.decode.images} images): ` +
        `${f2(r.decode.msPerImage)} ms wall and ${f2(r.decode.cpuMsPerImage)} ms CPU per image, i.e. ` +
        `${f2((r.decode.cpuMsPerImage * (configs[0]?.oursImgPerS ?? 0)) / 1000)} cores busy decoding at ${configs[0]?.config ?? '–'}'s compute-only rate.`,
      '',
    )
  }
  const share = configs.flatMap((c) => (c.pipeline !== undefined ? [c.pipeline.imgPerS / c.oursImgPerS] : []))
  if (share.length > 0) {
    lines.push(
      `Through the pipeline, images/s are ${pct(Math.min(...share))}–${pct(Math.max(...share))} of compute-only: the steps rarely wait, but decoding shares the cores with the step, which the wait fraction does not show.`,
      '',
    )
  }
  lines.push(
    `Worst data-wait fraction: ${pct(r.dataWaitFraction)}. Per-op floor of the backend: ${f1(r.perOpOverheadUs)} µs per tiny native op.`,
    '',
  )
  const withOps = configs.filter((c) => c.ops !== undefined)
  if (withOps.length > 0) {
    lines.push(
      "Where one step's time goes (one extra profiled step; op time is wall time inside native calls, the rest is JavaScript: bookkeeping, host work such as the dropout masks, and autodiff for the eager step). " +
        "The graph engine's whole forward, backward and update is one SessionRun; the other calls are the batch uploads and the running sums:",
      '',
    )
    lines.push(
      markdownTable(
        ['config', 'native calls', 'uploads', 'step ms', 'in ops ms', 'top ops (count, ms)', 'PyTorch format', 'PyTorch step ms (median, IQR)', 'ours step ms (median, IQR)'],
        withOps.map((c) => [
          c.config,
          String(c.ops!.ops),
          String(c.ops!.uploads),
          f1(c.ops!.totalMs),
          f1(c.ops!.opMs),
          c.ops!.top.slice(0, 5).map((o) => `${o.name} ${o.count}x ${o.ms.toFixed(1)}`).join(', '),
          c.torchMemoryFormat ?? '–',
          c.torchStepMs !== undefined ? `${f1(c.torchStepMs.median)} (${f1(c.torchStepMs.p25)}–${f1(c.torchStepMs.p75)})` : '–',
          `${f1(c.oursStepMs.median)} (${f1(c.oursStepMs.p25)}–${f1(c.oursStepMs.p75)})`,
        ]),
      ),
      '',
    )
  }
  lines.push(...renderEnvArms(r))
  lines.push('## Evaluation', '')
  if (r.eval === null) {
    lines.push('Not measured (no dataset).', '')
  } else {
    const e = r.eval
    lines.push(
      `Net ${e.config} (random weights; speed does not depend on them), \`evaluateNet\` through the forward \`eval\` uses (one TensorFlow graph run per batch on the native backend), with the real loader (decode, rescale, mean) overlapped with the net, ` +
        `eval batch ${p.evalBatchSize}. Images/s = images / wall time after a warm-up pass; multi-scale = one pass per Q, images / total time.`,
      '',
    )
    lines.push(
      markdownTable(
        ['technique', 'Q', 'precision', 'images', 'img/s', 'per Q img/s'],
        e.runs.map((x) => [x.technique, x.scales.join(','), x.precision ?? 'fp32', String(x.images), f1(x.imgPerS), x.perScale.map((s) => `Q=${s.scale}: ${f1(s.imgPerS)}`).join(', ')]),
      ),
      '',
    )
  }
  lines.push('## Memory and a real training run', '')
  if (r.trainRun === null) {
    lines.push('Not measured (no dataset).', '')
  } else {
    const t = r.trainRun
    lines.push(
      `\`trainNet\` in a child process: net ${t.config} in ${t.precision ?? 'fp32'}, one epoch of ${t.images} images plus validation and checkpoints. ` +
        `Peak resident memory **${t.peakRssMb.toFixed(0)} MB** (process.resourceUsage().maxRSS, decode workers included); ` +
        `the trainer's own epoch figures: ${f1(t.imgPerS)} img/s, data wait ${pct(t.dataWaitFraction)} (first steps included); wall ${(t.wallMs / 1000).toFixed(1)} s.`,
      '',
    )
  }
  lines.push('## History', '', 'Each speed change and its measured effect (data: `bench/history.yaml`).', '')
  lines.push(...renderHistory(r.history), '')
  lines.push('Reproduce: `npm run build && npm run bench -- --data /work/shared/datasets/imagenette2-224` (add `--quick` for two configs).', '')
  return lines.join('\n')
}

/** Writes `<dir>/<base>.md` and `<dir>/<base>.json` and appends the run to `<dir>/<base>-runs.jsonl`. */
export async function writeBenchReport(r: BenchResult, dir: string, base = 'bench'): Promise<{md: string; json: string; runs: string}> {
  await mkdir(dir, {recursive: true})
  const md = path.join(dir, `${base}.md`)
  const json = path.join(dir, `${base}.json`)
  const runs = path.join(dir, `${base}-runs.jsonl`)
  await appendRunLog(runs, runLogEntry(r))
  await writeFileAtomic(md, [Buffer.from(renderMarkdown(r, await readRunLog(runs)))])
  await writeFileAtomic(json, [Buffer.from(`${JSON.stringify(r, null, 2)}\n`)])
  return {md, json, runs}
}
