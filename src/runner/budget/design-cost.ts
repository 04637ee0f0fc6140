// What a design (k seeds per net, n val images) costs to run here: the job graph's own
// estimates (plan.ts: FLOPs over the measured rate, calibrated by measured job times),
// counting only jobs not yet cached. Seeds beyond those with cached nets all cost the
// same, so a design of any k needs graphs of a few seeds only.
import type {Profile, TableSpec} from '../../experiments/types.js'
import {buildGraph} from '../build-graph.js'
import type {Rate} from '../estimate.js'
import type {DatasetInfo} from '../jobs.js'
import {readRecord} from '../job-store.js'
import type {MeasuredTimes} from '../measured-times.js'
import {makePlan, type Plan} from '../plan.js'
import {applyDesign, seedIndexOf} from '../seeds.js'
import type {Precision} from '../../backend/precision.js'
import {MAX_SEEDS_PER_NET} from '../../experiments/schema.js'

export interface CostOptions {
  tables: TableSpec[]
  /** the profile as loaded, before any --seeds or --val-images */
  profile: Profile
  dataset: DatasetInfo
  runDir: string
  precision: Precision
  rate: Rate
  measured?: MeasuredTimes
}

export interface CostModel {
  /** estimated seconds to run the design's jobs that are not cached */
  seconds(k: number, n: number): number
  /** one more seed of every net, none of it cached */
  freshSeed(n: number): number
  /** the calibration of the one-seed graph at the profile's own images (for the printout) */
  basePlan: Plan
}

interface PerImages {
  /** k = 1 (with the profile's seed probe of A) */
  one: number
  /** k >= 2: seconds to run per seed index 1..perSeed.length, then `fresh` for each further seed */
  perSeed: number[]
  fresh: number
}

export function costModel(opts: CostOptions): CostModel {
  const {profile} = opts
  const graphOf = (k: number, n: number | undefined) => {
    const p = applyDesign(profile, {seeds: k, ...(n !== undefined ? {valImages: n} : {})})
    return {p, graph: buildGraph({tables: opts.tables, profile: p, dataset: opts.dataset, runDir: opts.runDir, precision: opts.precision})}
  }
  // Calibrated once, on the profile's own one-seed graph (the jobs an earlier run timed); every design takes its factors.
  const own = graphOf(1, undefined)
  const basePlan = makePlan(own.graph, own.p, opts.rate, undefined, opts.measured)
  const plan = (k: number, n: number | undefined) => {
    const {p, graph} = graphOf(k, n)
    return {graph, plan: makePlan(graph, p, opts.rate, undefined, undefined, basePlan)}
  }
  // How many seeds have cached nets: doubling until a seed index has none.
  let cachedSeeds = 1
  if (opts.dataset.id !== 'unresolved') {
    for (let k = 2; k <= MAX_SEEDS_PER_NET; k *= 2) {
      const {graph} = plan(k, undefined)
      const cached = [...graph.nodes.values()].filter((node) => node.kind === 'train' && readRecord(node) !== undefined).map((node) => seedIndexOf(node, graph.nodes, profile.seed))
      cachedSeeds = Math.max(cachedSeeds, ...cached)
      if (cachedSeeds < k) break
    }
  }
  const memo = new Map<number, PerImages>()
  const at = (n: number): PerImages => {
    const known = memo.get(n)
    if (known !== undefined) return known
    const one = plan(1, n).plan.totals.estSecondsToRun
    const kMax = Math.max(2, cachedSeeds + 1)
    const {graph, plan: many} = plan(kMax, n)
    const perSeed = new Array<number>(kMax).fill(0)
    for (const j of many.jobs) if (j.status !== 'cached') perSeed[seedIndexOf(graph.nodes.get(j.key)!, graph.nodes, profile.seed) - 1] += j.estSeconds
    const r = {one, perSeed, fresh: perSeed[kMax - 1]}
    memo.set(n, r)
    return r
  }
  return {
    seconds(k, n) {
      const c = at(n)
      if (k === 1) return c.one
      let s = 0
      for (let i = 0; i < k; i++) s += i < c.perSeed.length ? c.perSeed[i] : c.fresh
      return s
    },
    freshSeed: (n) => at(n).fresh,
    basePlan,
  }
}
