// `plan` / --dry-run: the job graph in run order with each job's estimated cost,
// the cache status, and the total against the profile's time budget.
import type {Profile} from '../experiments/types.js'
import {displayPath} from '../experiments/paths.js'
import {jobFlops, type Rate} from './estimate.js'
import type {JobGraph, JobKind} from './jobs.js'
import {readRecord} from './job-store.js'
import type {MeasuredTimes} from './measured-times.js'

export interface PlannedJob {
  n: number
  key: string
  kind: JobKind
  name: string
  /** 1-based numbers of the jobs it waits for */
  after: number[]
  gflop: number
  /** estimated seconds (calibrated by finished jobs of the same kind when there are any) */
  estSeconds: number
  status: 'cached' | 'to run'
  /** wall time of the cached run */
  wallMs?: number
}

export interface Plan {
  profile: string
  dataset: {root: string; id: string; trainImages: number; valImages: number; note?: string}
  rate: Rate
  /** measured wall / estimate, per kind, from cached jobs (else from committed reports' job times) */
  calibration: Partial<Record<JobKind, number>>
  /** where each kind's calibration came from */
  calibrationSource?: Partial<Record<JobKind, string>>
  jobs: PlannedJob[]
  totals: {jobs: number; train: number; eval: number; combine: number; cached: number; gflop: number; estSecondsToRun: number; estSecondsAll: number}
  budgetMinutes?: number
}

/**
 * `measured`: job times committed with earlier reports, for kinds with no cached job;
 * `calibrate`: take these factors instead of measuring any (a design's plan calibrated as
 * the profile's own graph was: its jobs at other val images or seeds were never timed).
 */
export function makePlan(graph: JobGraph, profile: Profile, rate: Rate, datasetNote?: string, measured?: MeasuredTimes, calibrate?: Pick<Plan, 'calibration' | 'calibrationSource'>): Plan {
  const number = new Map(graph.order.map((k, i) => [k, i + 1]))
  const raw = graph.order.map((key) => {
    const node = graph.nodes.get(key)!
    const record = graph.dataset.id === 'unresolved' ? undefined : readRecord(node)
    const flops = jobFlops(node, graph.nodes, graph.dataset, profile)
    return {node, record, flops, est: flops / (rate.gflops * 1e9)}
  })
  const calibration: Partial<Record<JobKind, number>> = {...calibrate?.calibration}
  const calibrationSource: Partial<Record<JobKind, string>> = {...calibrate?.calibrationSource}
  for (const kind of calibrate === undefined ? (['train', 'eval'] as const) : []) {
    const done = raw.filter((r) => r.node.kind === kind && r.record && r.est > 0)
    const est = done.reduce((a, r) => a + r.est, 0)
    const wall = done.reduce((a, r) => a + r.record!.wallMs / 1000, 0)
    if (done.length > 0 && est > 0) {
      calibration[kind] = wall / est
      calibrationSource[kind] = `measured wall time / estimate of the ${done.length} cached ${kind} jobs`
      continue
    }
    // Nothing cached here: the times an earlier run of the profile committed with its reports.
    const timed = measured === undefined ? [] : raw.flatMap((r) => {
      const ms = r.node.kind === kind && r.est > 0 ? measured.byKey.get(r.node.key) : undefined
      return ms === undefined ? [] : [{est: r.est, wall: ms / 1000, source: measured.sourceOf.get(r.node.key) ?? '?'}]
    })
    const e = timed.reduce((a, t) => a + t.est, 0)
    if (timed.length > 0 && e > 0) {
      calibration[kind] = timed.reduce((a, t) => a + t.wall, 0) / e
      const files = [...new Set(timed.map((t) => t.source))].sort()
      calibrationSource[kind] = `measured wall time / estimate of ${timed.length} ${kind} jobs of this graph timed in ${files.join(', ')}`
    }
  }
  const jobs: PlannedJob[] = raw.map(({node, record, flops, est}) => ({
    n: number.get(node.key)!,
    key: node.key,
    kind: node.kind,
    name: node.name,
    after: node.deps.map((d) => number.get(d)!).sort((a, b) => a - b),
    gflop: flops / 1e9,
    estSeconds: est * (calibration[node.kind] ?? 1),
    status: record ? 'cached' : 'to run',
    wallMs: record?.wallMs,
  }))
  const count = (kind: JobKind) => jobs.filter((j) => j.kind === kind).length
  return {
    profile: profile.name,
    dataset: {root: graph.dataset.root, id: graph.dataset.id, trainImages: graph.dataset.trainImages, valImages: graph.dataset.valImages, note: datasetNote},
    rate,
    calibration,
    calibrationSource,
    jobs,
    totals: {
      jobs: jobs.length,
      train: count('train'),
      eval: count('eval'),
      combine: count('combine'),
      cached: jobs.filter((j) => j.status === 'cached').length,
      gflop: jobs.reduce((a, j) => a + j.gflop, 0),
      estSecondsToRun: jobs.filter((j) => j.status !== 'cached').reduce((a, j) => a + j.estSeconds, 0),
      estSecondsAll: jobs.reduce((a, j) => a + (j.wallMs !== undefined ? j.wallMs / 1000 : j.estSeconds), 0),
    },
    budgetMinutes: profile.timeBudgetMinutes,
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 1) return '<1s'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}

export function formatPlan(plan: Plan): string {
  const d = plan.dataset
  const lines = [
    `Plan for profile ${plan.profile}: ${plan.totals.jobs} jobs (${plan.totals.train} train, ${plan.totals.eval} eval, ${plan.totals.combine} combine), ${plan.totals.cached} cached`,
    `dataset   ${displayPath(d.root)} (${d.trainImages} train / ${d.valImages} val images${d.id === 'unresolved' ? '' : `, id ${d.id}`})`,
    ...(d.note ? [`note      ${d.note}`] : []),
    `rate      ${plan.rate.source}`,
    `estimate  FLOPs from the net's layer counts (train: forward x3 x images x epoch cap, plus per-epoch validation; dense eval: whole 4:3 image + flip; multi-crop: 50 crops) / that rate`,
  ]
  for (const [kind, f] of Object.entries(plan.calibration)) {
    lines.push(`calibrated ${kind} estimates x${f.toFixed(2)} (${plan.calibrationSource?.[kind as JobKind] ?? `measured wall time / estimate of the cached ${kind} jobs`})`)
  }
  const budget = plan.budgetMinutes !== undefined ? plan.budgetMinutes * 60 : undefined
  const header = ['#', 'job', 'after', 'GFLOP', 'est. time', ...(budget ? ['of budget'] : []), 'status']
  const rows = plan.jobs.map((j) => [
    String(j.n),
    j.name,
    ranges(j.after),
    j.gflop >= 0.05 ? j.gflop.toFixed(1) : j.kind === 'combine' ? '-' : '<0.1',
    j.kind === 'combine' ? '-' : formatDuration(j.estSeconds),
    ...(budget ? [j.kind === 'combine' ? '-' : `${((100 * j.estSeconds) / budget).toFixed(1)}%`] : []),
    j.status === 'cached' ? `cached (took ${formatDuration((j.wallMs ?? 0) / 1000)})` : 'to run',
  ])
  lines.push('', ...table([header, ...rows]), '')
  const t = plan.totals
  lines.push(
    `total     ${(t.gflop / 1000).toFixed(2)} TFLOP; to run: ${formatDuration(t.estSecondsToRun)} estimated; whole graph: ${formatDuration(t.estSecondsAll)} (cached jobs at their measured time)` +
      (budget ? `; budget ${formatDuration(budget)} (${((100 * t.estSecondsAll) / budget).toFixed(0)}%)` : ''),
  )
  return lines.join('\n')
}

/** [2,3,4,7] -> "2-4,7" */
function ranges(ns: number[]): string {
  if (ns.length === 0) return '-'
  const parts: string[] = []
  let start = ns[0]
  for (let i = 1; i <= ns.length; i++) {
    if (i < ns.length && ns[i] === ns[i - 1] + 1) continue
    parts.push(start === ns[i - 1] ? String(start) : `${start}-${ns[i - 1]}`)
    start = ns[i]
  }
  const text = parts.join(',')
  return text.length > 24 ? `${text.slice(0, 22)}..` : text
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  const right = new Set([0, 3, 4, 5])
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : right.has(c) && c < r.length - 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  )
}
