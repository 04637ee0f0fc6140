// Tables x profile -> job graph. Each net a row names is trained once, with its
// init chain derived from the paper (3.1): A at S=256 from random init; the other
// configs at S=256 from A; S=384 from the same config's S=256; jittered S from
// its S=384. Evaluations are one job per (net, technique, Q) and rows average them.
import path from 'node:path'
import {precisionKey, type Precision} from '../backend/precision.js'
import type {TrainStage} from '../experiments/tables.js'
import {scaleToProfile} from '../experiments/profile.js'
import {stageJob} from '../train/job-from-profile.js'
import type {NetRef, Profile, TableSpec, Technique} from '../experiments/types.js'
import type {ConfigName} from '../models/types.js'
import {jobKey} from './cache-key.js'
import type {DatasetInfo, EvalNode, JobGraph, JobNode, RowPlan, SeedRunPlan, SingleTechnique, TrainNode} from './jobs.js'
import {orderGraph} from './order-graph.js'
import {seedsOf} from './seeds.js'

export interface BuildOptions {
  tables: TableSpec[]
  profile: Profile
  dataset: DatasetInfo
  /** runs/<profile> */
  runDir: string
  /** what training and evaluation compute in, resolved for this machine (resolveHostPrecision) */
  precision: Precision
}

/** Bumped when evaluation changes what it computes (2: dense sees whole 32-pixel cells, corner-anchored), so cached results are not reused. */
const EVAL_VERSION = 2

const STAGE_SCALE: Record<TrainStage, number | [number, number]> = {'256': 256, '384': 384, '256-512': [256, 512]}

/** The stage a stage fine-tunes from (same config), or undefined for the base stage. */
const PARENT_STAGE: Record<TrainStage, TrainStage | undefined> = {'256': undefined, '384': '256', '256-512': '384'}

export function techniquesOf(t: Technique): SingleTechnique[] {
  return t === 'multi-crop+dense' ? ['dense', 'multi-crop'] : [t]
}

function stageOfRef(ref: NetRef): TrainStage {
  return Array.isArray(ref.scale) ? '256-512' : (String(ref.scale) as TrainStage)
}

export function buildGraph(opts: BuildOptions): JobGraph {
  const {profile, dataset, runDir} = opts
  const nodes = new Map<string, JobNode>()
  const trainByNet = new Map<string, string>()
  const jobsDir = path.join(runDir, 'jobs')
  const dirOf = (slug: string, key: string) => path.join(jobsDir, `${slug}-${key}`)
  const add = (node: JobNode) => {
    if (!nodes.has(node.key)) nodes.set(node.key, node)
    return node.key
  }
  const px = (s: number) => scaleToProfile(s, profile)

  const train = (config: ConfigName, stage: TrainStage, seed = profile.seed): string => {
    const memo = `${config}@${stage}#${seed}`
    const known = trainByNet.get(memo)
    if (known !== undefined) return known
    const parentStage = PARENT_STAGE[stage]
    let init: TrainNode['init']
    if (parentStage !== undefined) init = {from: 'checkpoint', parent: train(config, parentStage, seed)}
    // A-LRN has A's 11 layers: like A it starts from random init (the paper copies A only into deeper nets).
    else if (config === 'A' || config === 'A-LRN') init = {from: 'random', spec: profile.init}
    else init = {from: 'A', parent: train('A', '256', seed), spec: profile.init}
    const scale = STAGE_SCALE[stage]
    const spec = stageJob(profile, {config, scale, numClasses: dataset.numClasses, fineTune: init.from === 'checkpoint', seed, precision: opts.precision})
    // dataRoot is not hashed (the same data moved elsewhere keeps its id); the parent's
    // key is (init.parent), so a change up the chain re-keys every descendant. fp32
    // adds nothing to the key (precisionKey), so fp32 jobs keep their keys.
    const {precision, ...hashed} = spec
    const key = jobKey({kind: 'train', dataset: dataset.id, init, ...hashed, ...precisionKey(precision)})
    const {scaleMin: sMin, scaleMax: sMax} = spec
    const seedNote = seed === profile.seed ? '' : ` seed ${seed}`
    const node: TrainNode = {
      kind: 'train',
      key,
      name: `train ${config} S=${sMin === sMax ? sMin : `[${sMin};${sMax}]`}${seedNote}`,
      deps: 'parent' in init ? [init.parent] : [],
      dir: dirOf(`train-${config}-s${stage}${seed === profile.seed ? '' : `-seed${seed}`}`, key),
      config,
      stage,
      scale,
      dataRoot: dataset.root,
      ...spec,
      init,
    }
    trainByNet.set(memo, add(node))
    return key
  }

  const evaluate = (trainKey: string, technique: SingleTechnique, qPaper: number): string => {
    const t = nodes.get(trainKey) as TrainNode
    const q = px(qPaper)
    const key = jobKey({kind: 'eval', version: EVAL_VERSION, dataset: dataset.id, train: trainKey, technique, q, maxImages: profile.maxValImages, ...precisionKey(opts.precision)})
    const node: EvalNode = {
      kind: 'eval',
      key,
      name: `eval ${netName(t, profile.seed)} ${technique} Q=${q}`,
      deps: [trainKey],
      dir: dirOf(`eval-${t.config}-s${t.stage}-${technique}-q${q}`, key),
      train: trainKey,
      technique,
      q,
      qPaper,
      dataRoot: dataset.root,
      batchSize: profile.evalBatchSize,
      maxImages: profile.maxValImages,
      precision: opts.precision,
    }
    return add(node)
  }

  // The key depends only on the evaluations averaged, so rows computing the same
  // thing (Table 4's D-jit and Table 5's D-dense) share one job.
  const combine = (nets: TrainNode[], technique: Technique, qs: number[][], groups: string[][]): string => {
    const key = jobKey({kind: 'combine', groups})
    return add({kind: 'combine', key, name: combineName(nets, technique, qs, profile.seed), deps: [...new Set(groups.flat())], dir: dirOf('combine', key), groups})
  }

  // k seeds per net (profile `seeds`): seed index i trains every net with seed
  // profile.seed + i - 1, each from the seed-i net of its parent, and a row's seed-i
  // combination scores (or fuses) only seed-i nets. Seed 1 is the k = 1 graph itself, so
  // its keys never change and a larger k reuses a smaller k's nets. All of seed 1 is
  // planned first: a run stopped early has whole seeds done.
  const k = seedsOf(profile)
  const perSeed: string[][] = []
  for (let i = 0; i < k; i++) {
    const seed = profile.seed + i
    const combines: string[] = []
    for (const table of opts.tables) {
      for (const row of table.rows) {
        const trains = row.nets.map((ref) => train(ref.config, stageOfRef(ref), seed))
        const groups = row.nets.map((ref, m) => techniquesOf(row.technique).flatMap((tech) => ref.q.map((q) => evaluate(trains[m], tech, q))))
        combines.push(combine(trains.map((t) => nodes.get(t) as TrainNode), row.technique, row.nets.map((ref) => ref.q.map(px)), groups))
      }
    }
    perSeed.push(combines)
  }
  const rows: RowPlan[] = opts.tables.flatMap((t) => t.rows).map((row, r) => {
    const combines = perSeed.map((c) => c[r])
    return {row, combine: combines[0], ...(k > 1 ? {perSeed: combines} : {}), jobs: ancestorsOfAll(nodes, combines)}
  })

  // Training-run noise (profile seedNoise, k = 1 only: with k >= 2 every comparison
  // measures its own): net A with further seeds, scored like Table 3 (dense, Q = S) and
  // Table 4 (dense, Q = S-32, S, S+32); the first seed is the tables' own A.
  const seedRuns: SeedRunPlan[] = []
  for (let i = 0; i < (k === 1 ? (profile.seedNoise?.seeds ?? 0) : 0); i++) {
    const seed = profile.seed + i
    const t = train('A', '256', seed)
    const net = nodes.get(t) as TrainNode
    const scored = (qs: number[]) => combine([net], 'dense', [qs.map(px)], [qs.map((q) => evaluate(t, 'dense', q))])
    seedRuns.push({seed, train: t, single: scored([256]), multi: scored([224, 256, 288])})
  }
  return {profile: profile.name, dataset, nodes, order: orderGraph(nodes), rows, seedRuns}
}

/** "D S=[37;73]": a trained net at the profile's scale ("D S=[37;73] seed 2" for another seed than the profile's). */
function netName(t: TrainNode, baseSeed: number): string {
  return `${t.config} S=${t.scaleMin === t.scaleMax ? t.scaleMin : `[${t.scaleMin};${t.scaleMax}]`}${t.seed === baseSeed ? '' : ` seed ${t.seed}`}`
}

/** "combine D S=[37;73] dense Q=37,55,73", or the members of a fusion. */
function combineName(nets: TrainNode[], technique: Technique, qs: number[][], baseSeed: number): string {
  if (nets.length === 1) return `combine ${netName(nets[0], baseSeed)} ${technique} Q=${qs[0].join(',')}`
  return `combine ${nets.map((n) => netName(n, baseSeed)).join(' + ')} ${technique}`
}

/** The job and everything it depends on, parents first. */
export function ancestors(nodes: Map<string, JobNode>, key: string): string[] {
  return ancestorsOfAll(nodes, [key])
}

/** The jobs and everything they depend on, parents first, each once. */
function ancestorsOfAll(nodes: Map<string, JobNode>, keys: readonly string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  const visit = (k: string) => {
    if (seen.has(k)) return
    seen.add(k)
    for (const d of nodes.get(k)?.deps ?? []) visit(d)
    out.push(k)
  }
  for (const key of keys) visit(key)
  return out
}
