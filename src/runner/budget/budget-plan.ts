// `plan --budget D` and `all --budget D`: load the files, measure the rate, read the
// noise model, choose the design (choose-design.ts) and say what it is and why.
import {resolvePrecisionChoice} from '../../backend/host-precision.js'
import {displayPath} from '../../experiments/paths.js'
import {loadProfile} from '../../experiments/profile.js'
import {loadTables} from '../../experiments/tables.js'
import type {TableName} from '../../experiments/types.js'
import {datasetForPlan} from '../dataset.js'
import {measureRate} from '../estimate.js'
import {measuredTimes} from '../measured-times.js'
import {runDirOf} from '../paths.js'
import {formatDuration} from '../plan.js'
import {load} from '../run-tables.js'
import {chooseDesign, imageCandidates, type Design} from './choose-design.js'
import {costModel} from './design-cost.js'
import {parseDuration} from './duration.js'
import {noiseModel} from './noise-source.js'
import {BudgetError} from './duration.js'

export interface BudgetRequest {
  tables: readonly TableName[]
  profile: string
  data?: string
  backend?: string
  precision?: string
  /** the budget as typed: 90m, 8h, 2d ... */
  budget: string
}

export interface BudgetPlan {
  kind: 'budget'
  profile: string
  budgetSeconds: number
  /** the chosen design; valImagesOverride is what --val-images gets (absent: the profile's own) */
  design: Design & {valImagesOverride?: number}
  /** the best design for each number of seeds per net that fits */
  perSeeds: Design[]
  dataset: {root: string; valImages: number; note?: string}
  cost: {rate: string; calibration: string[]; precision: string; oneSeedSeconds: number}
  noise: {source: string; missing: string[]}
  /** the command that runs this design */
  command: string
}

export async function planBudget(req: BudgetRequest): Promise<BudgetPlan> {
  const budgetSeconds = parseDuration(req.budget)
  const profile = loadProfile(req.profile)
  const tables = loadTables(req.tables)
  const {dataset, note} = await datasetForPlan(profile, req.data)
  const {initBackend} = await import('../../backend/backend.js')
  const backend = await initBackend(req.backend)
  const precision = resolvePrecisionChoice(req.precision, profile.precision).precision
  const rate = await measureRate(profile, precision)
  const {graph, claims} = load(req.tables, profile, dataset, precision)
  const noise = noiseModel({profile, claims, graph})
  if (noise.claims.length === 0) {
    throw new BudgetError(`no noise model for the claims of profile ${profile.name}: no run of it recorded noise.json, and it declares no noiseDefaults (see README, "How to buy power")`)
  }
  const measured = measuredTimes(profile.name)
  const cost = costModel({tables, profile, dataset, runDir: runDirOf(profile.name), precision, rate: {...rate, source: `${rate.source} on ${backend.backend}`}, measured})
  const own = Math.min(dataset.valImages, profile.maxValImages ?? dataset.valImages)
  const {best, perSeeds} = chooseDesign(budgetSeconds, cost, noise, imageCandidates(dataset.valImages, profile.maxValImages))
  const override = best.valImages === own ? undefined : best.valImages
  const base = cost.basePlan
  const calibration = Object.entries(base.calibration).map(([kind, f]) => `${kind} x${f.toFixed(2)} (${base.calibrationSource?.[kind as 'train' | 'eval'] ?? 'cached jobs'})`)
  const profileArg = req.profile === 'subset' ? '--subset' : `--profile ${req.profile}`
  return {
    kind: 'budget',
    profile: profile.name,
    budgetSeconds,
    design: {...best, ...(override !== undefined ? {valImagesOverride: override} : {})},
    perSeeds,
    dataset: {root: dataset.root, valImages: dataset.valImages, ...(note !== undefined ? {note} : {})},
    cost: {rate: base.rate.source, calibration, precision, oneSeedSeconds: cost.freshSeed(best.valImages)},
    noise: {source: noise.source, missing: noise.missing},
    command: `vgg-repro all ${profileArg} --seeds ${best.seeds}${override !== undefined ? ` --val-images ${override}` : ''}${req.data !== undefined ? ` --data ${req.data}` : ''}`,
  }
}

const pct = (p: number) => (p < 0.01 ? '<1%' : p > 0.99 && p < 1 ? '>99%' : `${Math.round(100 * p)}%`)
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`

function table(rows: string[][], right: Set<number>): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
}

/** At most ~16 lines: 1-8 seeds, then powers of two, the chosen one and the largest that fits. */
function thinned(designs: readonly Design[], chosen: number): Design[] {
  if (designs.length <= 16) return [...designs]
  const last = designs[designs.length - 1].seeds
  return designs.filter((x) => x.seeds <= 8 || (x.seeds & (x.seeds - 1)) === 0 || x.seeds === chosen || x.seeds === last)
}

export function formatBudgetPlan(p: BudgetPlan): string {
  const d = p.design
  const lines = [
    `Budget ${formatDuration(p.budgetSeconds)} for profile ${p.profile}: ${d.seeds} seed${d.seeds > 1 ? 's' : ''} per net on ${d.valImages} val images, about ${formatDuration(d.seconds)} to run; ${d.powered} of ${d.claims.length} claims reach 80% power at the paper's effect sizes`,
    `run it    ${p.command}`,
    `dataset   ${displayPath(p.dataset.root)} (${p.dataset.valImages} val images)${p.dataset.note ? `; ${p.dataset.note}` : ''}`,
    `cost      ${p.cost.precision}; one more seed of every net about ${formatDuration(p.cost.oneSeedSeconds)} at ${d.valImages} val images; ${p.cost.rate}; ${p.cost.calibration.length > 0 ? `calibrated ${p.cost.calibration.join('; ')}` : 'not calibrated (no measured job times: estimates can be off by 2x)'}; cached jobs cost nothing`,
    `noise     ${p.noise.source}${p.noise.missing.length > 0 ? `; no noise model for ${p.noise.missing.join(', ')} (left out)` : ''}`,
    `power     two-sided 5%, the verdict's own interval (Student's t at the degrees of freedom shown), if each claim's true effect were the paper's`,
    '',
    ...table(
      [['claim', 'paper effect', 's.e.', 'dof', 'power'], ...d.claims.map((c) => [c.id, signed(c.paperEffect), c.se.toFixed(2), c.dof < 1e4 ? c.dof.toFixed(1) : 'inf', pct(c.power)])],
      new Set([1, 2, 3, 4]),
    ),
    '',
    'best design for each number of seeds per net that fits:',
    ...table(
      [['seeds', 'val images', 'est. time', 'claims >= 80%', 'mean power'], ...thinned(p.perSeeds, d.seeds).map((x) => [String(x.seeds), String(x.valImages), formatDuration(x.seconds), `${x.powered} of ${x.claims.length}`, pct(x.powerSum / Math.max(1, x.claims.length))])],
      new Set([0, 1, 2, 3, 4]),
    ),
  ]
  return lines.join('\n')
}
