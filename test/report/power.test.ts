// The power projection of summary.md (src/report/power.ts): the closed forms against
// their definitions, the seed counts at their boundary, the simulated ranking, and
// the section on rows built from the real claims and tables.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {claimsFile, loadClaims, loadTables} from '../../src/experiments/index.js'
import {evaluateClaims} from '../../src/report/index.js'
import {critical95, normalCdf} from '../../src/report/distributions.js'
import {seedDiscordance} from '../../src/report/seed-discordance.js'
import {seedShareOf} from '../../src/report/power-markdown.js'
import {writePosteriors} from '../../src/eval/posteriors-file.js'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {claimPower, detectableEffect, paperEffectOf, powerAt, rankingPower, seAt, seedsNeeded, tauProbability, TARGET_POWER, type NoiseAt} from '../../src/report/power.js'
import {powerMarkdown} from '../../src/report/power-markdown.js'
import {summaryMarkdown} from '../../src/report/summary-markdown.js'
import type {TrainingNoise} from '../../src/report/training-noise.js'
import type {PerImageErrors} from '../../src/report/per-image-errors.js'
import {ok, paperRows, PROVENANCE, PUBLISHED} from './fixtures.js'

const paperClaims = () => loadClaims(claimsFile(), loadTables())

const noise: NoiseAt = {seSample: 0.5, seSeed: 2, n: 1000, seedShare: 0}

test('standard errors scale as 1/sqrt(images) and 1/sqrt(seeds)', () => {
  assert.equal(seAt(noise, 1, 1000), Math.hypot(0.5, 2))
  assert.ok(Math.abs(seAt(noise, 4, 4000) - Math.hypot(0.25, 1)) < 1e-12)
  assert.ok(Math.abs(seAt({...noise, seSeed: 0}, 1, 250) - 1) < 1e-12)
})

test('power is 2.5% at no effect and 80% at the detectable effect', () => {
  assert.ok(Math.abs(powerAt(0, 1.3) - 0.025) < 1e-6)
  assert.ok(Math.abs(powerAt(detectableEffect(1.3), 1.3) - TARGET_POWER) < 1e-6)
  assert.ok(powerAt(1, 1) < powerAt(2, 1) && powerAt(2, 1) < powerAt(2, 0.5))
  assert.equal(powerAt(0.1, 0), 1)
})

test('seedsNeeded is the boundary: k seeds reach 80% power, k - 1 do not', () => {
  for (const [delta, n] of [[1.4, 4000], [2, 1000], [3, 2000], [1.1, 3925]] as const) {
    const k = seedsNeeded(delta, noise, n)
    assert.equal(typeof k, 'number', `delta ${delta}, n ${n}`)
    const kk = k as number
    assert.ok(powerAt(delta, seAt(noise, kk, n)) >= TARGET_POWER - 1e-9, `k=${kk} reaches`)
    if (kk > 1) assert.ok(powerAt(delta, seAt(noise, kk - 1, n)) < TARGET_POWER, `k=${kk - 1} does not`)
  }
  // The image sample alone at 1000 images has s.e. 0.5: an effect below 2.8 x 0.5 never reaches 80%.
  assert.equal(seedsNeeded(1.3, noise, 1000), 'never')
  assert.equal(typeof seedsNeeded(1.3, noise, 4000), 'number')
  assert.equal(seedsNeeded(-1, noise, 1e6), 'never')
  assert.equal(seedsNeeded(5, {...noise, seSeed: 0}, 1000), 1)
})

test('per-image noise that seeds share shrinks with seeds; only the rest is a floor set by the images', () => {
  const shared: NoiseAt = {...noise, seedShare: 0.75}
  // k = 1 is the run itself, whatever the split.
  assert.ok(Math.abs(seAt(shared, 1, 1000) - seAt(noise, 1, 1000)) < 1e-12)
  // Many seeds leave the fixed quarter of the image variance.
  assert.ok(Math.abs(seAt(shared, 1e12, 1000) - 0.5 * Math.sqrt(0.25)) < 1e-6)
  // 1.3 points never reach 80% when all of the 0.5 is images, but do when three quarters are seeds...
  assert.equal(seedsNeeded(1.3, noise, 1000), 'never')
  const k = seedsNeeded(1.3, shared, 1000)
  assert.equal(typeof k, 'number')
  assert.ok(powerAt(1.3, seAt(shared, k as number, 1000)) >= TARGET_POWER - 1e-9)
  assert.ok(powerAt(1.3, seAt(shared, (k as number) - 1, 1000)) < TARGET_POWER)
  // ... and with all of it seed noise any positive effect is reachable.
  assert.equal(typeof seedsNeeded(0.05, {...noise, seedShare: 1}, 10), 'number')
  // The share: seed-pair over cross-net discordance, within [0, 1]; 0 when either is missing.
  assert.equal(seedShareOf({rate: 0.1, pairs: 3}, 0.2), 0.5)
  assert.equal(seedShareOf({rate: 0.3, pairs: 3}, 0.2), 1)
  assert.equal(seedShareOf(undefined, 0.2), 0)
  assert.equal(seedShareOf({rate: 0.1, pairs: 1}, undefined), 0)
})

test('seed discordance: the mean share of images exactly one of two seeds gets wrong, from files that match their scores', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-discord-'))
  const n = 10
  // Seed i is right (class 0 scores highest) on the images its mask marks with 0.
  const masks = [[0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0, 0, 0, 1, 1]]
  const runs = []
  for (const [i, m] of masks.entries()) {
    const data = new Float32Array(n * 2)
    m.forEach((wrong, j) => data.set(wrong ? [0.2, 0.8] : [0.8, 0.2], j * 2))
    const file = path.join(dir, `seed${i}.posteriors`)
    await writePosteriors(file, {classes: ['a', 'b'], ids: Array.from({length: n}, (_, j) => `img${j}`), labels: new Int32Array(n), data, n, technique: 'dense', scales: [146], checkpoints: [`s${i}`], skipped: []})
    const err = (100 * m.reduce((a, b) => a + b, 0)) / n
    runs.push({seed: i + 1, single: {top1Err: err, top5Err: 0}, multi: {top1Err: err, top5Err: 0}, posteriors: file})
  }
  // pairs: (0,1) differ on 2 images, (0,2) on 2, (1,2) on 4
  const d = await seedDiscordance(runs)
  assert.deepEqual(d && {rate: Number(d.rate.toFixed(12)), pairs: d.pairs}, {rate: Number(((0.2 + 0.2 + 0.4) / 3).toFixed(12)), pairs: 3})
  // A file that does not give its seed's score is left out; one readable file is not enough.
  const wrongScore = runs.map((r, i) => (i === 2 ? {...r, single: {top1Err: 99, top5Err: 0}} : r))
  assert.equal((await seedDiscordance(wrongScore))?.pairs, 1)
  assert.equal(await seedDiscordance([runs[0], {...runs[1], posteriors: path.join(dir, 'missing')}]), undefined)
})

test('the ranking probability: certain without noise, rare with much, falling in between', () => {
  const paper = PUBLISHED.table3.map(([t1]) => t1)
  assert.equal(tauProbability(paper, 0), 1)
  const p = [0.3, 1, 3, 30].map((sd) => tauProbability(paper, sd, 0.6, 2000))
  for (let i = 1; i < p.length; i++) assert.ok(p[i] < p[i - 1], `P(tau >= 0.6) falls with noise: ${p.join(', ')}`)
  assert.ok(p[3] < 0.02, `unrelated orders rarely agree: ${p[3]}`)
  // Seeded: the same call gives the same number.
  assert.equal(tauProbability(paper, 1, 0.6, 500, 7), tauProbability(paper, 1, 0.6, 500, 7))
})

/** Every paper row reproduced at the paper's error + 8 (the order kept), on 1000 images. */
function rowsAtPaperOrder() {
  return paperRows((r) => ({...ok(r.paper.top1 + 8, r.paper.top5 + 2, 1000), nets: [`${r.table}-${r.id}`]}))
}

test('rankingPower: the seeds it names reach 80% on all images, one fewer does not', () => {
  const rows = rowsAtPaperOrder()
  const r = rankingPower(rows, 1.5, 1.2, 1000, 3925)
  assert.ok(r !== undefined)
  assert.equal(r.rows, 12)
  const k = r.seedsAllImages
  assert.equal(typeof k, 'number')
  const paper = PUBLISHED.table3.map(([t1]) => t1)
  const sd = (kk: number) => Math.sqrt(1.5 ** 2 / kk + ((1.2 / Math.SQRT2) ** 2 * 1000) / 3925)
  assert.ok(tauProbability(paper, sd(k as number)) >= TARGET_POWER)
  if ((k as number) > 1) assert.ok(tauProbability(paper, sd((k as number) - 1)) < TARGET_POWER)
  assert.ok(r.probabilityNow < TARGET_POWER)
  // Image noise alone too large for the order: no number of seeds.
  assert.equal(rankingPower(rows, 1.5, 40, 1000, 1000)?.seedsAllImages, 'never')
})

const measured: TrainingNoise = {between: {top1: 2, top5: 1}, within: {top1: 0.5, top5: 0.5}, seeds: 3, runs: []}

test('claimPower orients the paper effect like the verdict: the margin minus the paper gain for "does not improve"', () => {
  const results = evaluateClaims(paperClaims(), rowsAtPaperOrder(), {noise: measured})
  const lrn = results.find((r) => r.claim.id === 'lrn-does-not-help')!
  // A-LRN 29.7 vs A 29.6 in the paper: gain -0.1; margin 2% of the reproduced A (37.6).
  assert.ok(Math.abs(paperEffectOf(lrn)! - (0.02 * 37.6 + 0.1)) < 1e-9)
  const depth = results.find((r) => r.claim.id === 'depth-reduces-error')!
  assert.ok(Math.abs(paperEffectOf(depth)! - (0.9 + 1.7 + 1.4) / 3) < 1e-9)
  const powers = claimPower(results, 3925)
  assert.equal(powers.length, results.length)
  for (const p of powers) {
    assert.equal(p.noise.n, 1000)
    // this run's interval: t at the pooled dof (3 seeds: 2 dof)
    const results1 = results.find((r) => r.claim.id === p.claimId)!
    assert.ok(Number.isFinite(results1.pooled!.dof))
    assert.ok(Math.abs(p.power - normalCdf(p.paperEffect / p.se - critical95(results1.pooled!.dof))) < 1e-9)
    assert.ok(p.power < normalCdf(p.paperEffect / p.se - 1.959963984540054))
    // More images never need more seeds.
    if (p.seedsNow !== 'never') assert.ok(p.seedsAllImages !== 'never' && p.seedsAllImages <= p.seedsNow)
  }
})

test('the section: a row per claim, the budget from the train and eval jobs, the order, and the missing-noise warning', () => {
  const rows = rowsAtPaperOrder().map((r) => ({...r, jobs: [{key: `t-${r.id}`, kind: 'train' as const, wallMs: 60_000}, {key: `e-${r.table}-${r.id}`, kind: 'eval' as const, wallMs: 1000}]}))
  const results = evaluateClaims(paperClaims(), rows, {noise: measured})
  const md = powerMarkdown({results, rows, noise: measured, valImages: 3925})!
  for (const r of results) assert.ok(md.includes(r.claim.text), r.claim.id)
  assert.match(md, /seeds per net, 3925 images/)
  assert.match(md, /\*\*Budget\.\*\* One seed of every net took/)
  assert.match(md, /\*\*Table 3's order\.\*\*/)
  assert.doesNotMatch(md, /not measured/)
  assert.match(md, /posterior files could not be read/)
  // Paired Table 3 rows (row i wrong on images 20i .. 20i+299): the cross-net discordance is measured, and
  // a seed discordance of half of it moves half of the per-image variance to the seeds.
  const N = 1000
  const perImage = new Map<string, PerImageErrors>()
  rows.filter((r) => r.table === 'table3').forEach((r, i) => {
    const top1 = new Uint8Array(N).fill(1, 20 * i, 20 * i + 300)
    perImage.set(`table3/${r.id}`, {ids: Array.from({length: N}, (_, j) => `img${j}`), classes: ['a', 'b'], labels: new Int32Array(N), top1, top5: top1.slice()})
  })
  const paired = evaluateClaims(paperClaims(), rows, {noise: measured, perImage})
  const cross = paired.flatMap((r) => r.checks).filter((c) => c.primary && c.rule === 'paired' && c.noiseKind === 'between nets' && c.subject.startsWith('table3/') && c.reference.startsWith('table3/'))
  assert.ok(cross.length > 0)
  const crossRate = cross.reduce((a, c) => a + (c.discordant!.better + c.discordant!.worse) / N, 0) / cross.length
  const withSeeds = powerMarkdown({results: paired, rows, noise: measured, valImages: 3925, seedDiscordance: {rate: crossRate / 2, pairs: 3}})!
  assert.match(withSeeds, /Per-image noise that seeds average away\.\*\* Two seeds of net A disagree about [\d.]+% of the images \(mean over 3 seed pairs\), two different Table 3 nets about [\d.]+%: 50% of/)
  // More of the noise averaging away never asks for more seeds.
  const seedsOf = (md: string) => md.split('\n').filter((l) => l.startsWith('| The classification error decreases'))[0]
  assert.notEqual(seedsOf(withSeeds), seedsOf(powerMarkdown({results: paired, rows, noise: measured, valImages: 3925})!))
  const unmeasured = powerMarkdown({results: evaluateClaims(paperClaims(), rows), rows, valImages: 3925})!
  assert.match(unmeasured, /Training-run noise was not measured/)
  assert.doesNotMatch(unmeasured, /Table 3's order/)
  // In the summary, under its own heading.
  const summary = summaryMarkdown({provenance: {...PROVENANCE, dataset: {...PROVENANCE.dataset, valImages: 3925}}, rows, claims: results, noise: measured, tableCharts: {}})
  assert.match(summary, /### What this run could detect\n\nIf each claim's true effect were the paper's/)
})
