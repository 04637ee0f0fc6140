// The budget planner's noise model: per claim, the one-seed noise of power.ts (NoiseAt)
// that a design with k seeds per net and n val images scales. Taken, in this order, from
// - the noise an earlier run of the profile measured and recorded with its reports
//   (results/<profile>[-seeds<k>][-val<n>]/noise.json; the record with the most seeds per
//   net, then the most images), claim by claim, unless the training-run noise it measured
//   rests on fewer degrees of freedom than the defaults declare (noiseDefaults.seedDof): an
//   SD from 3 seeds (2 dof) can land anywhere from a tenth to twice the true one, and the
//   plan would follow it (a subset run's three seeds of A at SD 0.25 against 5.9 over 8);
// - the profile's declared `noiseDefaults`, through the claims' structure: a comparison
//   of two rows whose nets differ has training-run variance seedSd^2 x the sum over nets of
//   (a_n - b_n)^2 (row weights a, b: 1/members), nets independent (a comparison with a
//   fusion row: the k = 1 verdict's bound, since a fusion's gain is not linear in its
//   members' errors); one net evaluated two ways has evalDiffSd, comparisons on the same
//   nets fully correlated, other nets independent. The per-image (paired) variance is discordance x sum/2 between nets
//   (seedShare of it seed noise) and evalDiscordance for the same nets, all of it a floor;
//   a claim pools its comparisons' image errors as their mean (the bound).
// With k = 1 the verdict takes its training noise from net A's seed probe (profile
// seedNoise): the run's A seed SD for every net and, pooled, the mean of the
// comparisons' errors (the bound), at seedNoise - 1 degrees of freedom.
import type {Claim, NoiseDefaults, Profile, RowResult} from '../../experiments/types.js'
import {evaluateClaims} from '../../report/claims.js'
import {NOISE_FILE, readNoiseRecord, type NoiseRecord} from '../../report/noise-record.js'
import {paperEffectOf, type NoiseAt} from '../../report/power.js'
import {rowRef} from '../../report/row-result.js'
import type {JobGraph} from '../jobs.js'
import {resultsFoldersOf} from '../measured-times.js'
import {rowResults} from '../row-results.js'
import path from 'node:path'
import {displayPath} from '../../experiments/paths.js'

export interface ClaimNoise {
  id: string
  text: string
  /** the paper's pooled effect, the paper's way, in points */
  paperEffect: number
  /** one seed per net: what a design with k >= 2 seeds scales */
  own: NoiseAt
  /** what a k = 1 design's verdict would use (net A's probe); absent without seedNoise */
  probe?: NoiseAt
}

export interface NoiseModel {
  /** where the numbers came from, one line */
  source: string
  claims: ClaimNoise[]
  /** degrees of freedom of net A's probe for k = 1 designs (absent: the profile has no seedNoise) */
  probeDof?: number
  /** claims left out: no recorded noise and no declared defaults */
  missing: string[]
}

/** Paper rows as if reproduced exactly: what the claims' paper effects are computed from. */
function paperRows(graph: JobGraph): RowResult[] {
  return rowResults(graph, new Map()).map((r) => ({
    ...r,
    status: 'ok' as const,
    reproduced: {top1Err: r.paper.top1, top5Err: r.paper.top5, top1Ci: [r.paper.top1, r.paper.top1], top5Ci: [r.paper.top5, r.paper.top5], n: 1, skipped: 0},
  }))
}

/** The recorded noise with the most seeds, then images, among the profile's results folders. */
export function bestNoiseRecord(name: string, root?: string, exclude?: string): {record: NoiseRecord; file: string} | undefined {
  let best: {record: NoiseRecord; file: string} | undefined
  for (const dir of resultsFoldersOf(name, root)) {
    if (exclude !== undefined && path.basename(dir) === exclude) continue
    const file = path.join(dir, NOISE_FILE)
    const record = readNoiseRecord(file)
    if (record === undefined) continue
    if (best === undefined || record.seeds > best.record.seeds || (record.seeds === best.record.seeds && record.images > best.record.images)) best = {record, file}
  }
  return best
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Each net's weight in a row's error: 1/members (a fusion averages its members). */
function weights(row: RowResult): Map<string, number> {
  const w = new Map<string, number>()
  for (const n of row.nets) w.set(n, (w.get(n) ?? 0) + 1 / row.nets.length)
  return w
}

/** The declared defaults through one claim's comparisons (see the file comment). */
function fromDefaults(claim: Claim, byRef: Map<string, RowResult>, d: NoiseDefaults, n: number): {own: NoiseAt; probe: NoiseAt} | undefined {
  const comps = claim.comparisons.map((c) => {
    const [s, r] = [byRef.get(c.subject), byRef.get(c.reference)]
    if (s === undefined || r === undefined) return undefined
    const [ws, wr] = [weights(s), weights(r)]
    const diff = new Map<string, number>()
    for (const net of new Set([...ws.keys(), ...wr.keys()])) diff.set(net, (wr.get(net) ?? 0) - (ws.get(net) ?? 0))
    const f = [...diff.values()].reduce((a, v) => a + v * v, 0)
    return {diff, f: f < 1e-12 ? 0 : f, nets: [...new Set([...s.nets, ...r.nets])].sort().join('+'), fusion: s.nets.length > 1 || r.nets.length > 1}
  })
  if (comps.some((c) => c === undefined) || comps.length === 0) return undefined
  const cs = comps as NonNullable<(typeof comps)[number]>[]
  const m = cs.length
  // Training runs, nets independent: the variance of the mean over comparisons.
  const byNet = new Map<string, number>()
  const byEvalGroup = new Map<string, number>()
  let fusionBound = 0
  for (const c of cs) {
    // A fusion's gain over its members is not linear in their errors: such comparisons
    // get the k = 1 verdict's bound (fully correlated with each other).
    if (c.f > 0 && c.fusion) fusionBound += (d.seedSd * Math.sqrt(c.f)) / m
    else if (c.f > 0) for (const [net, v] of c.diff) byNet.set(net, (byNet.get(net) ?? 0) + v / m)
    else byEvalGroup.set(c.nets, (byEvalGroup.get(c.nets) ?? 0) + 1 / m)
  }
  const sumSq = (xs: Iterable<number>) => [...xs].reduce((a, v) => a + v * v, 0)
  const runsVar = d.seedSd ** 2 * sumSq(byNet.values()) + d.evalDiffSd ** 2 * sumSq(byEvalGroup.values()) + fusionBound ** 2
  // k = 1 verdict: A's seed SD times the mean over comparisons of sqrt(f) (same nets: evalDiffSd).
  const probeSeed = mean(cs.map((c) => (c.f > 0 ? d.seedSd * Math.sqrt(c.f) : d.evalDiffSd)))
  // Per image: the mean of the comparisons' paired errors, with the seed-noise share of each.
  const perImage = cs.map((c) => (c.f > 0 ? {v: (d.discordance * c.f) / 2, share: d.seedShare} : {v: d.evalDiscordance, share: 0}))
  const seSample = 100 * mean(perImage.map((p) => Math.sqrt(p.v / n)))
  const totalV = perImage.reduce((a, p) => a + p.v, 0)
  const share = totalV > 0 ? perImage.reduce((a, p) => a + p.v * p.share, 0) / totalV : 0
  return {own: {seSample, seSeed: Math.sqrt(runsVar), n, seedShare: share}, probe: {seSample, seSeed: probeSeed, n, seedShare: share}}
}

export interface NoiseModelOptions {
  /** the profile as loaded (its name finds the records; its defaults stand in) */
  profile: Profile
  claims: readonly Claim[]
  /** the one-seed graph of the tables planned */
  graph: JobGraph
  /** the results folder (VGG_REPRO_RESULTS) */
  resultsRoot?: string
  /** a results folder name whose record plays no part (the run being predicted) */
  exclude?: string
}

export function noiseModel(opts: NoiseModelOptions): NoiseModel {
  const {profile, claims, graph} = opts
  const rows = paperRows(graph)
  const byRef = new Map(rows.map((r) => [rowRef(r), r]))
  const effects = new Map(evaluateClaims([...claims], rows).map((r) => [r.claim.id, paperEffectOf(r)]))
  const probeDof = profile.seedNoise !== undefined ? profile.seedNoise.seeds - 1 : undefined
  const recorded = bestNoiseRecord(profile.name, opts.resultsRoot, opts.exclude)
  const out: ClaimNoise[] = []
  const missing: string[] = []
  let fromRecord = 0
  let overruled = 0
  const declaredDof = profile.noiseDefaults?.seedDof
  for (const claim of claims) {
    const paperEffect = effects.get(claim.id)
    const r = recorded?.record.claims.find((c) => c.id === claim.id)
    // a record that measured no training noise (image sample only) has none to set against the defaults
    const recordDof = recorded?.record.source === 'image sample only' ? 0 : (r?.seedDof ?? 0)
    const thinner = r !== undefined && declaredDof !== undefined && recordDof < declaredDof
    if (thinner) overruled++
    if (r !== undefined && !thinner) {
      out.push({id: claim.id, text: claim.text, paperEffect: r.paperEffect, own: r.noise, ...(probeDof !== undefined ? {probe: r.noise} : {})})
      fromRecord++
      continue
    }
    const d = profile.noiseDefaults
    const n = graph.dataset.valImages
    const model = d !== undefined && paperEffect !== undefined ? fromDefaults(claim, byRef, d, Math.min(n, profile.maxValImages ?? n)) : undefined
    if (model === undefined || paperEffect === undefined) {
      missing.push(claim.id)
      continue
    }
    out.push({id: claim.id, text: claim.text, paperEffect, own: model.own, ...(probeDof !== undefined ? {probe: model.probe} : {})})
  }
  const rec = recorded?.record
  const recordText = rec ? `${displayPath(recorded!.file)} (measured: ${rec.seeds} seed${rec.seeds > 1 ? 's' : ''} per net, ${rec.images} val images, ${rec.source})` : ''
  const declared = `the profile's declared noiseDefaults (seed SD ${profile.noiseDefaults?.seedSd} points${declaredDof !== undefined ? `, ${declaredDof} dof` : ''}`
  const source =
    fromRecord === out.length && rec
      ? recordText
      : fromRecord > 0
        ? `${recordText} for ${fromRecord} claims; the profile's noiseDefaults for ${out.length - fromRecord}`
        : overruled > 0
          ? `${declared}): ${recordText} measured the training noise on fewer dof (${recorded!.record.claims[0]?.seedDof ?? 0}), so it does not replace them`
          : `${declared}, no run of this profile recorded its noise yet)`
  return {source, claims: out, ...(probeDof !== undefined ? {probeDof} : {}), missing}
}
