// Claims as Markdown: one summary line per claim, then each claim's comparisons on its
// primary metric (which vote) and on the other metric (shown only).
import type {CheckResult, ClaimResult} from './claims.js'
import {signed} from './format.js'
import {markdownTable} from '../util/markdown-table.js'
import {isOwnSeedNoise, type NoiseSource} from './training-noise.js'

const METRIC = {top1: 'top-1', top5: 'top-5'} as const

function counts(r: ClaimResult): string {
  const primary = r.checks.filter((c) => c.primary)
  const n = (v: string) => primary.filter((c) => c.verdict === v).length
  const parts = [['go the paper\'s way', n('holds')], ['inconclusive', n('within noise')], ['contradict it', n('fails')], ['pending', n('pending')]] as const
  return parts.filter(([, k]) => k !== 0).map(([v, k]) => `${k} ${v}`).join(', ')
}

function pooledText(r: ClaimResult): string {
  if (r.pooled === undefined) return ''
  const {effect, ci} = r.pooled
  return `${signed(effect)} [${signed(ci[0])}, ${signed(ci[1])}]`
}

export function claimsSummaryMarkdown(results: readonly ClaimResult[]): string {
  if (results.length === 0) return '_No claims were given._'
  return markdownTable(
    ['claim', 'paper §', 'metric', 'pooled effect [95% CI]', 'verdict', 'comparisons'],
    results.map((r) => [r.claim.text, r.claim.section, METRIC[r.claim.primary], pooledText(r), `**${r.verdict}**`, counts(r)]),
    ['l', 'l', 'l', 'r', 'l', 'l'],
  )
}

function interval(ci: [number, number] | undefined): string {
  return ci ? ` [${signed(ci[0])}, ${signed(ci[1])}]` : ''
}

function nText(c: CheckResult): string {
  if (!c.n) return ''
  return c.n[0] === c.n[1] ? String(c.n[0]) : `${c.n[0]} / ${c.n[1]}`
}

/** Which rule judged the check; paired shows the discordant images, unpaired why it is not paired. */
function ruleText(c: CheckResult): string {
  if (c.rule === 'paired' && c.ownSeeds !== undefined) return c.discordant ? `paired, ${c.ownSeeds} seed pairs (${c.discordant.better} vs ${c.discordant.worse})` : `paired, ${c.ownSeeds} seed pairs`
  if (c.rule === 'paired') return c.discordant ? `paired (${c.discordant.better} vs ${c.discordant.worse})` : 'paired'
  if (c.rule === 'unpaired') return c.unpairedReason ? `unpaired (${c.unpairedReason})` : 'unpaired'
  return ''
}

function expected(c: CheckResult): string {
  return c.expect === 'lower' ? 'lower error' : `not lower by ${c.margin !== undefined ? c.margin.toFixed(2) : 'the margin'} or more`
}

function seText(c: CheckResult): string {
  if (c.seSample === undefined) return ''
  const dof = c.dof !== undefined && Number.isFinite(c.dof) ? `, ${c.dof.toFixed(1)} dof` : ''
  const source = c.ownSeeds !== undefined ? `own ${c.ownSeeds} seeds, ` : ''
  return `${c.seSample.toFixed(2)} / ${(c.seSeed ?? 0).toFixed(2)} (${source}${c.noiseKind}${dof})`
}

/** "; t with 2.3 degrees of freedom", or nothing for a normal interval. */
function dofText(dof: number): string {
  return Number.isFinite(dof) ? `; Student's t with ${dof.toFixed(1)} degrees of freedom` : ''
}

function verdictText(c: CheckResult): string {
  if (c.verdict === 'pending') return c.reason ? `pending (${c.reason})` : 'pending'
  return {holds: "paper's way", fails: 'contradicts', 'within noise': 'inconclusive'}[c.verdict]
}

export function claimDetailsMarkdown(r: ClaimResult): string {
  const margin = r.claim.margin
  const marginLine =
    margin === undefined ? '' : ` Equivalence margin: ${'points' in margin ? `${margin.points} points` : `${100 * margin.relative}% of the reference's error`}${r.claim.marginReason ? ` (${r.claim.marginReason})` : ''}.`
  const head = `### ${r.claim.text} — **${r.verdict}**\n\n_Claim \`${r.claim.id}\`, paper section ${r.claim.section}; judged on ${METRIC[r.claim.primary]}.${marginLine}_` +
    (r.pooled ? `\n\nPooled effect over the ${r.checks.filter((c) => c.primary).length} comparisons: ${pooledText(r)} points (${r.pooled.basis === 'per-image' ? 'per-image mean' : 'unpaired bound'}${r.pooled.seeds !== undefined ? `, over ${r.pooled.seeds} seed pairs` : ''}; s.e. image sample ${r.pooled.seSample.toFixed(2)}, training runs ${r.pooled.seSeed.toFixed(2)}${dofText(r.pooled.dof)}).` : '')
  const primary = markdownTable(
    ['subject', 'reference', 'expected of subject', 'paper Δ', 'reproduced Δ [95% CI]', "effect, paper's way [95% CI]", 's.e. sample / runs', 'Holm p against', 'n', 'rule', 'comparison'],
    r.checks.filter((c) => c.primary).map((c) => [
      c.subject,
      c.reference,
      expected(c),
      signed(c.paperD, 1),
      c.d === undefined ? '' : `${signed(c.d)}${interval(c.ci)}`,
      c.effect === undefined ? '' : `${signed(c.effect)}${interval(c.effectCi)}`,
      seText(c),
      c.holmP === undefined ? '' : c.holmP < 0.001 ? '<0.001' : c.holmP.toFixed(3),
      nText(c),
      ruleText(c),
      verdictText(c),
    ]),
    ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  )
  const other = r.checks.filter((c) => !c.primary)
  const secondary = other.length === 0 ? '' : `\n\n${METRIC[other[0].metric]} (shown, not counted):\n\n` + markdownTable(
    ['subject', 'reference', 'paper Δ', 'reproduced Δ [95% CI]', 'comparison'],
    other.map((c) => [c.subject, c.reference, signed(c.paperD, 1), c.d === undefined ? '' : `${signed(c.d)}${interval(c.ci)}`, verdictText(c)]),
    ['l', 'l', 'r', 'r', 'l'],
  )
  return `${head}\n\n${primary}${secondary}`
}

/**
 * The rule for k >= 2 seeds per net, as every such report prints it (seed-paired.ts
 * derives it; README "How to buy power" quotes it).
 */
export function ownSeedsRule(k: number | 'k'): string {
  return (
    `Each row's error is the mean of its ${k} nets' errors, each net scored alone (a fusion row fuses seed i of its members, then averages over i; a seed average is not an ensemble). ` +
    'A comparison pairs seed i of the subject with seed i of the reference on the same validation images. With x_ij the per-image difference of seed pair i on image j, the effect is the mean of the x_ij, and its variance is read off the seeds x images table with each part counted once: ' +
    `*runs* = SD of the ${k} per-seed differences / √${k}, with ${k === 'k' ? 'k - 1' : k - 1} degrees of freedom (it holds what the seeds disagree on image by image); ` +
    `*sample* = the per-image variance that all seeds share, (MS_images - MS_residual) / (${k} n), floored at 0 (adding the seed-averaged differences' own per-image error instead would count the seeds' per-image disagreement twice). ` +
    "The two add in quadrature and the intervals use Student's t at the Welch-Satterthwaite degrees of freedom of the sum. A claim's pooled effect gets the same split of its comparisons' mean per seed and image, so the correlation of comparisons that share nets is measured, not bounded. " +
    "An unpaired comparison (a seed's posterior file missing) takes the runs from the per-seed differences of the errors and the sample from the mean over seeds of the unpaired image error, which counts the seeds' disagreement twice (conservative)."
  )
}

/** Where the training-run part of the intervals comes from. */
export function trainingNoiseMarkdown(noise: NoiseSource | undefined): string {
  if (isOwnSeedNoise(noise)) {
    const spread = noise.rowSd ? ` Over the seeds, a Table 3 row's top-1 error has a standard deviation of ${noise.rowSd.top1.toFixed(2)} points (root mean square over ${noise.rowSd.rows} rows, ${noise.ownSeeds - 1} degrees of freedom each).` : ''
    return `**Training-run noise** (measured in this run, for every comparison from its own nets): every net was trained with ${noise.ownSeeds} seeds, seed i of a net starting from seed i of its parent (A for B-E, S=256 for S=384, S=384 for jittered); the seed-noise probe of net A is not used. ${ownSeedsRule(noise.ownSeeds)}${spread}`
  }
  if (noise === undefined || 'unavailable' in noise) {
    return `**Training-run noise:** ${noise?.unavailable ?? 'not measured'}. The intervals cover the sampling of validation images only; a second training run of the same net could move an error by more than they show.`
  }
  const runs = noise.runs
    .filter((r) => r.single && r.multi)
    .map((r) => `seed ${r.seed}: ${r.single!.top1Err.toFixed(2)} / ${r.multi!.top1Err.toFixed(2)}`)
    .join('; ')
  return (
    `**Training-run noise** (measured in this run): net A trained with ${noise.seeds} seeds and scored as in Table 3 (dense, Q = S) and Table 4 (dense, Q = S-32, S, S+32), top-1 error ${runs}. ` +
    `Standard deviation over the seeds (${noise.seeds - 1} degrees of freedom): of a net's error ${noise.between.top1.toFixed(2)} points top-1 (${noise.between.top5.toFixed(2)} top-5); ` +
    `of an evaluation difference on the same net ${noise.within.top1.toFixed(2)} points top-1 (${noise.within.top5.toFixed(2)} top-5). ` +
    'A comparison adds the first in quadrature to its image-sample standard error, times √(Σ(aₙ - bₙ)²) over the nets whose posteriors the two rows average with weights aₙ, bₙ (√2 for two separately trained nets, √½ for a two-net fusion against one of its members); a comparison of the same nets evaluated two ways adds the second. ' +
    "Net A's noise stands for every net's: an assumption, and with few seeds a rough one."
  )
}

/** Only the per-claim comparison tables (the summary puts them after the tables). */
export function claimDetailsAllMarkdown(results: readonly ClaimResult[]): string {
  return results.map(claimDetailsMarkdown).join('\n\n')
}

export function claimsMarkdown(results: readonly ClaimResult[]): string {
  return [claimsSummaryMarkdown(results), ...results.map(claimDetailsMarkdown)].join('\n\n')
}
