// The "What this run could detect" section of summary.md (power.ts does the arithmetic).
import type {ClaimResult} from './claims.js'
import {signed} from './format.js'
import {claimPower, MAX_SEEDS, rankingPower, TARGET_POWER, TAU_TARGET, type ClaimPower} from './power.js'
import {jobTimes, totalWallMs} from './provenance.js'
import type {RowResult} from './row-result.js'
import type {SeedDiscordance} from './seed-discordance.js'
import {isOwnSeedNoise, isProbeNoise, type NoiseSource} from './training-noise.js'
import {markdownTable} from '../util/markdown-table.js'

/** A projection is rough: whole hours from 10 h, hours and minutes below, minutes under 1 h. */
function roughDuration(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000))
  if (min >= 600) return `${Math.round(min / 60).toLocaleString('en')} h`
  return min >= 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min} min`
}

const pct1 = (x: number) => (100 * x).toFixed(1)
const POWER = `${Math.round(100 * TARGET_POWER)}%`

function seedsText(k: number | 'never'): string {
  if (k === 'never') return 'none: image noise alone too large'
  return k > MAX_SEEDS ? `> ${MAX_SEEDS.toLocaleString('en')}` : String(k)
}

/** Training and evaluation time of one seed of every net behind the rows (of k seeds: their mean), and how much of it is evaluation. */
function oneSeedTime(rows: readonly RowResult[], k = 1): {trainMs: number; evalMs: number} {
  const jobs = jobTimes(rows)
  return {trainMs: totalWallMs(jobs.filter((j) => j.kind === 'train')) / k, evalMs: totalWallMs(jobs.filter((j) => j.kind === 'eval')) / k}
}

const mean = (xs: number[]) => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length)

/** The claims' comparisons of two separately trained Table 3 nets. */
function table3BetweenNets(results: readonly ClaimResult[]) {
  return results.flatMap((r) => r.checks).filter((c) => c.primary && c.noiseKind === 'between nets' && c.subject.startsWith('table3/') && c.reference.startsWith('table3/'))
}

/**
 * The image-sample s.e. of a comparison of two separately trained Table 3 nets, averaged
 * over the claims' comparisons of such rows (paired where the posteriors line up; an
 * unpaired one counts both rows' whole sample noise, an upper bound).
 */
function pairedBetweenNetSe(results: readonly ClaimResult[]): number | undefined {
  return mean(table3BetweenNets(results).filter((c) => c.seSample !== undefined).map((c) => c.seSample!))
}

/** How often two different Table 3 nets disagree about an image (the paired comparisons' discordant share). */
function crossNetDiscordance(results: readonly ClaimResult[]): number | undefined {
  return mean(table3BetweenNets(results).filter((c) => c.discordant !== undefined && c.n !== undefined).map((c) => (c.discordant!.better + c.discordant!.worse) / c.n![0]))
}

/**
 * Share of a between-net comparison's per-image variance that is training-run noise:
 * seed-pair discordance over cross-net discordance, capped at 1 (seeds of one net can
 * disagree more than two nets: A's seeds have higher errors). 0 when not measured.
 */
export function seedShareOf(seed: SeedDiscordance | undefined, cross: number | undefined): number {
  if (seed === undefined || cross === undefined || !(cross > 0)) return 0
  return Math.min(1, Math.max(0, seed.rate / cross))
}

/** What the budget planner predicted for this run's design, per claim id (shown beside the realised numbers). */
export type PowerPrediction = ReadonlyMap<string, {se: number; power: number}>

export interface PowerInput {
  results: readonly ClaimResult[]
  rows: readonly RowResult[]
  noise?: NoiseSource
  /** the plan's predicted standard error and power per claim, when the run was planned (k >= 2 or --budget) */
  prediction?: PowerPrediction
  /** the dataset's validation images (the most a run could score) */
  valImages: number
  /** how often two seeds of net A disagree about an image, when their posteriors could be read */
  seedDiscordance?: SeedDiscordance
}

/** The projection's per-claim numbers (the section's table; the noise record of noise-record.ts). */
export function claimPowersOf(p: Pick<PowerInput, 'results' | 'valImages' | 'seedDiscordance'>): ClaimPower[] {
  return claimPower(p.results, p.valImages, seedShareOf(p.seedDiscordance, crossNetDiscordance(p.results)))
}

export function powerMarkdown(p: PowerInput): string | undefined {
  const cross = crossNetDiscordance(p.results)
  const seedShare = seedShareOf(p.seedDiscordance, cross)
  const powers = claimPowersOf(p)
  if (powers.length === 0) return undefined
  const own = isOwnSeedNoise(p.noise)
  const measured = own || isProbeNoise(p.noise)
  const n = powers[0].noise.n
  const all = Math.max(n, p.valImages)
  const pct = (x: number) => (x < 0.01 ? '<1%' : `${Math.round(100 * x)}%`)
  const predicted = (id: string) => {
    const x = p.prediction?.get(id)
    return x === undefined ? '-' : `${x.se.toFixed(2)} (${pct(x.power)})`
  }
  const body = powers.map((c) => [
    c.text,
    signed(c.paperEffect),
    `${c.seNow.sample.toFixed(2)} / ${c.seNow.runs.toFixed(2)}`,
    ...(p.prediction ? [`${c.se.toFixed(2)}`, predicted(c.claimId)] : []),
    c.detectable.toFixed(2),
    pct(c.power),
    seedsText(c.seedsNow),
    seedsText(c.seedsAllImages),
  ])
  const design = own ? `this run's ${powers[0].seeds} seeds per net` : 'this run'
  const parts = [
    `If each claim's true effect were the paper's (in points, pooled like the verdict), how likely was ${design} to call it *holds*, and what design would be? *s.e.* is the pooled effect's standard error (image sample / training runs)${p.prediction ? "; *s.e. realised* their sum, beside what the budget planner predicted for this design before the run (*s.e. planned*, with its power)" : ''}; *detectable* the smallest true effect this run finds with ${POWER} power (both with this run's Student-t interval); the last two columns the independently trained seeds of every net (each row averaging its seeds) that give ${POWER} power on ${n} images and on all ${all} validation images (normal intervals: their seed noise would rest on many seeds). Image noise scales as 1/√images, training-run noise as 1/√seeds.`,
    markdownTable(
      ['claim', 'paper effect', 's.e. sample / runs', ...(p.prediction ? ['s.e. realised', 's.e. planned (power)'] : []), 'detectable (80%)', 'power for the paper effect', `seeds per net, ${n} images`, `seeds per net, ${all} images`],
      body,
      ['l', 'r', 'r', ...(p.prediction ? ['r', 'r'] : []), 'r', 'r', 'r', 'r'] as ('l' | 'r')[],
    ),
  ]
  if (!measured) parts.push('_Training-run noise was not measured (the profile sets no `seedNoise`): the projection counts image noise only and understates what is needed._')
  else if (own) {
    parts.push(
      `**Per-image noise that seeds average away** is measured in each comparison from its ${powers[0].seeds} seed pairs (the residual of the seeds x images table, Training-run noise above): the projection lets it shrink with seeds and keeps only the per-image variance all seeds share as the images' floor.`,
    )
  } else if (p.seedDiscordance !== undefined && cross !== undefined) {
    parts.push(
      `**Per-image noise that seeds average away.** Two seeds of net A disagree about ${pct1(p.seedDiscordance.rate)}% of the images (mean over ${p.seedDiscordance.pairs} seed pairs), two different Table 3 nets about ${pct1(cross)}%: ` +
        `${seedShare === 1 ? 'all' : `${Math.round(100 * seedShare)}%`} of a between-net comparison's per-image variance is therefore counted as training-run noise, which shrinks with seeds${seedShare < 1 ? "; the rest stays as the images' floor" : ''}. Comparisons of one net evaluated two ways keep all of theirs as the floor.`,
    )
  } else parts.push('_The seed runs\' posterior files could not be read: all per-image noise is counted as a floor set by the images, which overstates what is needed._')
  const k = powers[0].seeds
  const time = oneSeedTime(p.rows, k)
  const perSeedMs = (images: number) => time.trainMs + (time.evalMs * images) / n
  if (time.trainMs > 0) {
    const cost = `**Budget.** One seed of every net took ${roughDuration(time.trainMs)} of training and ${roughDuration(time.evalMs)} of evaluation on ${n} images in this run${k > 1 ? ` (mean over its ${k} seeds)` : ''}: about ${roughDuration(perSeedMs(all))} per seed on all ${all} images.`
    parts.push(`${cost} ${reachableText(powers, all, perSeedMs(all))}`)
  }
  const pairedSe = pairedBetweenNetSe(p.results)
  // k >= 2: each row's own seed spread (it holds the per-image part seeds disagree on) at k seeds.
  const rowSd = isProbeNoise(p.noise) ? p.noise.between.top1 : isOwnSeedNoise(p.noise) ? p.noise.rowSd?.top1 : undefined
  if (rowSd !== undefined && pairedSe !== undefined) {
    const rank = rankingPower(p.rows, rowSd, pairedSe, n, p.valImages, own ? 0 : seedShare, k)
    if (rank !== undefined) {
      const needed = rank.seedsAllImages
      parts.push(
        `**Table 3's order.** With each of its ${rank.rows} rows at the paper's top-1 error plus this run's noise (training runs ${(rank.seedSd / Math.sqrt(k)).toFixed(2)}, images ${rank.sampleSd.toFixed(2)} points per row), Kendall's tau-b reaches ${TAU_TARGET} with probability ${Math.round(100 * rank.probabilityNow)}% at this design; ` +
          (needed === 'never' ? `not with ${POWER} at any number of seeds on ${all} images.` : `${POWER} needs ${seedsText(needed)} seeds per net on ${all} images${typeof needed === 'number' && time.trainMs > 0 ? ` (about ${roughDuration(needed * perSeedMs(all))} of jobs at this run's speed)` : ''}.`),
      )
    }
  }
  return parts.join('\n\n')
}

/** Which claims a larger design could reach, cheapest first, with the job time each needs. */
function reachableText(powers: readonly ClaimPower[], images: number, perSeedMs: number): string {
  const reachable = powers.filter((c): c is ClaimPower & {seedsAllImages: number} => c.seedsAllImages !== 'never').sort((a, b) => a.seedsAllImages - b.seedsAllImages)
  if (reachable.length === 0) return `No claim's paper-sized effect reaches ${POWER} power on this dataset's ${images} validation images at any number of seeds.`
  const steps = reachable.map((c, i) => `${i + 1} of ${powers.length} claims at ${seedsText(c.seedsAllImages)} seeds per net (about ${roughDuration(c.seedsAllImages * perSeedMs)})`)
  const rest = powers.length - reachable.length
  return `On all ${images} validation images, paper-sized effects reach ${POWER} power for ${steps.join('; ')}${rest > 0 ? `; the other ${rest} at no number of seeds` : ''}.`
}
