// Comparisons over k seeds per net (issue 20): seed i against seed i, the noise split
// of the seeds x images table (src/report/seed-paired.ts) checked against a hand
// computation, the same numbers through the claims from constructed per-seed posterior
// files, the unpaired fallback, pooling, the power model's reading of the components,
// and a row's seed mean.
import assert from 'node:assert/strict'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {before, test} from 'node:test'
import {initBackend} from '../../src/backend/backend.js'
import {writePosteriors} from '../../src/eval/posteriors-file.js'
import type {Posteriors} from '../../src/eval/types.js'
import {wilsonPercent, Z95} from '../../src/eval/wilson.js'
import type {Claim, RowResult, SeedRowResult} from '../../src/experiments/types.js'
import {claimDetailsMarkdown, trainingNoiseMarkdown} from '../../src/report/claims-markdown.js'
import {evaluateClaim} from '../../src/report/claims.js'
import {critical95, welchDof} from '../../src/report/distributions.js'
import {loadPerSeedErrors} from '../../src/report/per-image-load.js'
import {noiseAtFromComponents, seAt} from '../../src/report/power.js'
import {seedMeanErrors} from '../../src/report/seed-mean.js'
import {seedPairedNoise} from '../../src/report/seed-paired.js'

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`)

// Per-image differences x_ij (seed i, image j) worked by hand:
//   seed 1: 1 0 1 0   (mean 1/2)       image means: 2/3, 1/3, 1/3, -1/3
//   seed 2: 1 1 0 0   (mean 1/2)       grand mean 1/4
//   seed 3: 0 0 0 -1  (mean -1/4)
// SS_seeds = 4 (1/16 + 1/16 + 1/4) = 3/2, MS = 3/4 (2 dof)
// SS_images = 3 ((5/12)^2 + 2 (1/12)^2 + (7/12)^2) = 19/12, MS = 19/36 (3 dof)
// SS_total = 1.25 + 1.25 + 1.75 = 17/4, SS_residual = 17/4 - 3/2 - 19/12 = 7/6, MS = 7/36 (6 dof)
// runs:   MS_seeds / (k n) = (3/4)/12 = 1/16 -> s.e. 0.25 = SD(1/2, 1/2, -1/4) / sqrt 3
// sample: (MS_images - MS_residual) / (k n) = (12/36)/12 = 1/36 -> s.e. 1/6
// components: seed (3/4 - 7/36)/4 = 5/36, image (19/36 - 7/36)/3 = 1/9, residual 7/36
const TABLE = [
  [1, 0, 1, 0],
  [1, 1, 0, 0],
  [0, 0, 0, -1],
]

test('the seeds x images split, by hand: runs from the per-seed differences, images from what all seeds share, nothing twice', () => {
  const r = seedPairedNoise(TABLE)
  close(r.mean, 25)
  assert.deepEqual(r.perSeed, [50, 50, -25])
  close(r.seSeed, 25)
  close(r.seSample, 100 / 6)
  assert.equal(r.seedDof, 2)
  close(r.components.seed, 1e4 * (5 / 36))
  close(r.components.image, 1e4 / 9)
  close(r.components.residual, 1e4 * (7 / 36))
  // Var(mean) = s_a^2/k + s_b^2/n + s_r^2/(k n) = the two parts' sum
  const v = r.components.seed / 3 + r.components.image / 4 + r.components.residual / 12
  close(r.seSeed ** 2 + r.seSample ** 2, v)
  // Adding the seed-averaged differences' own per-image error would count the residual twice.
  const naive = r.seSeed ** 2 + (1e4 * (19 / 36)) / 12
  assert.ok(naive > v + 1e4 * (7 / 36) / 12 - 1e-6)
  // The power model reads the components back: at the run's k and n, the run's own s.e.
  close(seAt(noiseAtFromComponents(r.components, 4), 3, 4), Math.hypot(r.seSeed, r.seSample))
})

// Constructed per-seed rows over N images: the reference wrong on a block of images,
// the subject wrong on a shifted block, by seed.
const N = 200
const dir = mkdtempSync(path.join(tmpdir(), 'vgg-seed-noise-'))
before(async () => {
  await initBackend('cpu')
})

function posteriors(wrong: (j: number) => boolean): Posteriors {
  const data = new Float32Array(N * 2)
  const labels = new Int32Array(N)
  for (let j = 0; j < N; j++) {
    labels[j] = j % 2
    data[j * 2 + (wrong(j) ? 1 - (j % 2) : j % 2)] = 0.9
    data[j * 2 + (wrong(j) ? j % 2 : 1 - (j % 2))] = 0.1
  }
  return {classes: ['a', 'b'], ids: Array.from({length: N}, (_, j) => `val/${j % 2}/${j}.jpg`), labels, data, n: N, technique: 'dense', scales: [256], checkpoints: [], skipped: []}
}

/** A k-seed row whose seed i is wrong exactly on wrong[i]'s images, with files when `files`. */
async function row(id: string, wrong: ((j: number) => boolean)[], files = true): Promise<RowResult> {
  const perSeed: SeedRowResult[] = []
  for (const [i, w] of wrong.entries()) {
    const file = path.join(dir, `${id}-${i + 1}.posteriors`)
    if (files) await writePosteriors(file, posteriors(w))
    let e = 0
    for (let j = 0; j < N; j++) if (w(j)) e++
    const top1Ci = wilsonPercent(e, N)
    perSeed.push({index: i + 1, top1Err: (100 * e) / N, top5Err: 0, top1Ci, top5Ci: [0, 1], n: N, skipped: 0, ...(files ? {posteriors: file} : {}), nets: [`${id}-net${i + 1}`]})
  }
  return {table: 'table3', id, label: id, paper: {top1: 30, top5: 10}, status: 'ok', reproduced: seedMeanErrors(perSeed), nets: perSeed[0].nets, jobs: [], perSeed}
}

const claim = (comparisons: [string, string][]): Claim => ({
  id: 'c',
  text: 'test claim',
  section: '4.1',
  primary: 'top1',
  comparisons: comparisons.map(([s, r]) => ({subject: `table3/${s}`, reference: `table3/${r}`, expect: 'lower' as const})),
  source: {file: 'test', line: 1},
})

const block = (lo: number, hi: number) => (j: number) => j >= lo && j < hi

test('a comparison over 3 seed pairs gets the hand-computed split of its own per-image differences', async () => {
  // Reference seed i wrong on [0, 60); subject seed i wrong on [d_i, 60) plus [60, 60 + e_i): per seed,
  // images [0, d_i) favour the subject (+1), [60, 60 + e_i) the reference (-1).
  const d = [12, 8, 4]
  const e = [2, 4, 0]
  const ref = await row('ref', d.map(() => block(0, 60)))
  const subj = await row('subj', d.map((di, i) => (j) => (j >= di && j < 60) || (j >= 60 && j < 60 + e[i])))
  const rows = [ref, subj]
  const c = claim([['subj', 'ref']])
  const perSeedImages = await loadPerSeedErrors(rows, ['table3/ref', 'table3/subj'])
  const result = evaluateClaim(c, rows, {perSeedImages, noise: {ownSeeds: 3}})
  const check = result.checks.find((x) => x.primary)!
  // The same table built directly: +1, -1, 0 per image and seed.
  const x = d.map((di, i) => Array.from({length: N}, (_, j) => (j < di ? 1 : j >= 60 && j < 60 + e[i] ? -1 : 0)))
  const want = seedPairedNoise(x)
  close(check.d!, want.mean)
  close(check.d!, (100 * (10 + 4 + 4)) / 3 / N) // per seed (d_i - e_i) / N: 5, 2, 2 points
  close(check.seSeed!, want.seSeed)
  close(check.seSeed!, Math.sqrt(((5 - 3) ** 2 + 1 + 1) / 2 / 3)) // SD(5, 2, 2) / sqrt(3)
  close(check.seSample!, want.seSample)
  assert.equal(check.rule, 'paired')
  assert.equal(check.ownSeeds, 3)
  const dof = welchDof(want.seSample, want.seSeed, 2)
  close(check.dof!, dof)
  close(check.ci![1] - check.d!, critical95(dof) * Math.hypot(want.seSample, want.seSeed))
  // The report says which noise the comparison used, and prints the rule.
  assert.match(claimDetailsMarkdown(result), /own 3 seeds, between nets/)
  assert.match(claimDetailsMarkdown(result), /paired, 3 seed pairs \(24 vs 6\)/)
  assert.match(trainingNoiseMarkdown({ownSeeds: 3}), /SD of the 3 per-seed differences \/ √3, with 2 degrees of freedom/)
  assert.match(trainingNoiseMarkdown({ownSeeds: 3}), /seed-noise probe of net A is not used/)

  // Unpaired (no files): the runs from the per-seed differences of the errors, the images
  // from the mean over seeds of the rows' unpaired image error.
  const ref2 = await row('ref2', d.map(() => block(0, 60)), false)
  const subj2 = await row('subj2', d.map((di, i) => (j) => (j >= di && j < 60) || (j >= 60 && j < 60 + e[i])), false)
  const un = evaluateClaim(claim([['subj2', 'ref2']]), [ref2, subj2], {perSeedImages: new Map(), noise: {ownSeeds: 3}}).checks.find((x) => x.primary)!
  assert.equal(un.rule, 'unpaired')
  close(un.seSeed!, want.seSeed)
  const half = (ci: [number, number]) => (ci[1] - ci[0]) / 2
  const image = subj2.perSeed!.reduce((a, s, i) => a + Math.hypot(half(s.top1Ci), half(ref2.perSeed![i].top1Ci)) / Z95, 0) / 3
  close(un.seSample!, image)
})

test('pooled over comparisons: the per-seed mean effect, so shared nets count as they co-vary', async () => {
  const ref = await row('pref', [block(0, 60), block(0, 60)])
  const a = await row('pa', [block(10, 60), block(4, 60)])
  const b = await row('pb', [block(6, 60), block(12, 66)])
  const rows = [ref, a, b]
  const refs = ['table3/pref', 'table3/pa', 'table3/pb']
  const result = evaluateClaim(claim([['pa', 'pref'], ['pb', 'pref']]), rows, {perSeedImages: await loadPerSeedErrors(rows, refs), noise: {ownSeeds: 2}})
  // per seed, points: a 5 / 2, b 3 / 3 (6 right, 0 and then 12 right, 6 wrong) -> pooled 4, 2.5
  close(result.pooled!.effect, 3.25)
  close(result.pooled!.seSeed, Math.abs(4 - 2.5) / Math.SQRT2 / Math.SQRT2) // SD of two values = |diff|/sqrt2, / sqrt(k)
  assert.equal(result.pooled!.seeds, 2)
  assert.equal(result.pooled!.basis, 'per-image')
})

test("a row's seed mean: the mean of the seeds' errors, its interval the image and seed parts at Student's t", () => {
  const s = (i: number, err: number): SeedRowResult => ({index: i, top1Err: err, top5Err: err / 4, top1Ci: wilsonPercent(Math.round((err * 400) / 100), 400), top5Ci: [0, 10], n: 400, skipped: 0, nets: []})
  const seeds = [s(1, 30), s(2, 34), s(3, 38)]
  const m = seedMeanErrors(seeds)
  close(m.top1Err, 34)
  const image = seeds.reduce((a, x) => a + (x.top1Ci[1] - x.top1Ci[0]) / 2 / Z95, 0) / 3
  const runs = 4 / Math.sqrt(3) // SD(30, 34, 38) = 4
  const half = critical95(welchDof(image, runs, 2)) * Math.hypot(image, runs)
  close(m.top1Ci[0], 34 - half)
  close(m.top1Ci[1], 34 + half)
})
