// Seeds per net (issue 20): with `seeds: k` every trained net of the graph exists k
// times, seed i following the paper's chain within itself; seed 1 is the one-seed graph
// unchanged (its keys are those of the committed results/subset/ run, and those of the
// runs before the warm-up switch are the no-warm-up base's); rows are the mean
// of their k nets, fusions fuse same-index seeds; a run with more seeds reuses one with
// fewer; the one-seed report of a k = 3 cache is the one-seed run's report.
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {initBackend} from '../../src/backend/backend.js'
import type {Precision} from '../../src/backend/precision.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {loadTables} from '../../src/experiments/tables.js'
import type {Profile} from '../../src/experiments/types.js'
import {buildGraph} from '../../src/runner/build-graph.js'
import type {CombineNode, DatasetInfo, EvalNode, JobGraph, TrainNode} from '../../src/runner/jobs.js'
import {cachedOutcomes, rowResults} from '../../src/runner/row-results.js'
import {runGraph} from '../../src/runner/run-graph.js'
import {reportFromCache, runTables} from '../../src/runner/run-tables.js'
import {applyDesign, checkResultsOwner, resultsNameOf} from '../../src/runner/seeds.js'
import {EXPERIMENTS, FAKE_DATASET, writeTwoColourFolder} from './helpers.js'
import {posteriorExecutor} from './posterior-executor.js'

const PROJECT = path.resolve(EXPERIMENTS, '..')
const TABLES = loadTables(['table3', 'table4', 'table5', 'table6'], EXPERIMENTS)
const smoke = (seeds?: number): Profile => applyDesign(loadProfile('smoke', path.join(EXPERIMENTS, 'profiles')), {seeds})
const graphOf = (profile: Profile, dataset: DatasetInfo = FAKE_DATASET, runs = '/nonexistent/runs'): JobGraph =>
  buildGraph({tables: TABLES, profile, dataset, runDir: path.join(runs, profile.name), precision: 'fp32'})
const trains = (g: JobGraph) => [...g.nodes.values()].filter((n): n is TrainNode => n.kind === 'train')

test('k = 3 trains every net three times, seed i of each chain from seed i of its parent', () => {
  const one = graphOf(smoke(1))
  const three = graphOf(smoke(3))
  // k = 1: the 12 nets and A's second seed (seedNoise); k >= 2 has no seed probe.
  assert.equal(trains(one).length, 12 + 1)
  assert.equal(trains(three).length, 3 * 12)
  assert.deepEqual(three.seedRuns, [])
  for (const seed of [1, 2, 3]) {
    const net = (config: string, stage: string) => trains(three).find((t) => t.config === config && t.stage === stage && t.seed === seed)!
    const A = net('A', '256')
    assert.equal(A.init.from, 'random')
    assert.equal(net('A-LRN', '256').init.from, 'random')
    for (const c of ['B', 'C', 'D', 'E']) assert.deepEqual(net(c, '256').init, {from: 'A', parent: A.key, spec: A.init.from === 'random' ? A.init.spec : undefined})
    for (const c of ['C', 'D', 'E']) {
      assert.deepEqual(net(c, '384').init, {from: 'checkpoint', parent: net(c, '256').key})
      assert.deepEqual(net(c, '256-512').init, {from: 'checkpoint', parent: net(c, '384').key})
    }
    // folders and names carry the seed beyond the first
    assert.equal(path.basename(A.dir).includes(`-seed${seed}`), seed !== 1)
  }
  // every row: one combination per seed, each scoring only nets of its seed
  for (const plan of three.rows) {
    assert.equal(plan.perSeed?.length, 3)
    assert.equal(plan.perSeed![0], plan.combine)
    plan.perSeed!.forEach((key, i) => {
      const combine = three.nodes.get(key) as CombineNode
      for (const group of combine.groups) for (const e of group) assert.equal((three.nodes.get((three.nodes.get(e) as EvalNode).train) as TrainNode).seed, 1 + i)
    })
  }
})

test('a fusion row fuses seed i of D with seed i of E', () => {
  const g = graphOf(smoke(3))
  const fusion = g.rows.find((r) => r.row.table === 'table6' && r.row.nets.length === 2)!
  fusion.perSeed!.forEach((key, i) => {
    const members = (g.nodes.get(key) as CombineNode).groups.map((group) => g.nodes.get((g.nodes.get(group[0]) as EvalNode).train) as TrainNode)
    assert.deepEqual(members.map((t) => [t.config, t.seed]), [['D', 1 + i], ['E', 1 + i]])
  })
})

test('k = 1 keeps the graph: seeds: 1 is no seeds at all, and a k = 2 or 3 graph holds every net and score of fewer seeds', () => {
  const none = graphOf(smoke(undefined))
  const one = graphOf(smoke(1))
  assert.deepEqual([...one.nodes.entries()], [...none.nodes.entries()])
  assert.deepEqual(one.rows, none.rows)
  const two = graphOf(smoke(2))
  const three = graphOf(smoke(3))
  for (const [key, node] of two.nodes) assert.deepEqual(three.nodes.get(key), node, node.name)
  // everything of k = 1 but A's seed-probe scores at Q = 224, 288 (k >= 2 has no probe)
  const probeOnly = new Set(one.seedRuns.flatMap((r) => [r.multi, ...(one.nodes.get(r.multi) as CombineNode).groups.flat()]))
  for (const [key, node] of one.nodes) if (!probeOnly.has(key) || three.nodes.has(key)) assert.deepEqual(three.nodes.get(key), node, node.name)
})

// A committed run's jobs, each in the graph its profile builds now (same key and name): the
// run re-renders from its cache. Built in the run's precision (the cache key holds it).
function assertRunInGraph(resultsDir: string, profileFile: string, seeds?: number): void {
  const prov = JSON.parse(readFileSync(path.join(PROJECT, 'results', resultsDir, 'provenance.json'), 'utf8')) as {dataset: {id: string; trainImages: number; valImages: number}; precision: Precision; jobs: {key: string; name: string}[]}
  const dataset: DatasetInfo = {root: '/elsewhere', id: prov.dataset.id, numClasses: 10, trainImages: prov.dataset.trainImages, valImages: prov.dataset.valImages}
  const profile = applyDesign(loadProfile(path.join(EXPERIMENTS, profileFile)), {seeds})
  const g = buildGraph({tables: TABLES, profile, dataset, runDir: path.join('/nonexistent/runs', profile.name), precision: prov.precision})
  assert.ok(prov.jobs.length >= 80 * (seeds ?? 1))
  for (const j of prov.jobs) assert.equal(g.nodes.get(j.key)?.name, j.name, `${resultsDir}: ${j.name} (${j.key})`)
}

test("k = 1 keys are today's: every job of the committed results/subset/ run is in the one-seed subset graph, same key and name", () => {
  assertRunInGraph('subset', 'profiles/subset.yaml')
  // the same graph in bf16 (the cache key holds the precision)
  assertRunInGraph('ablation/subset-k1-bf16', 'profiles/subset.yaml')
})

test('the committed k = 2 run under warm-up (results/subset-seeds2/) is the subset graph at k = 2', () => {
  assertRunInGraph('subset-seeds2', 'profiles/subset.yaml', 2)
})

test('the runs before the warm-up switch are the no-warm-up base\'s jobs, at k = 1 and k = 2', () => {
  assertRunInGraph('ablation/subset-no-warmup', 'ablation/subset-no-warmup.yaml')
  assertRunInGraph('ablation/subset-seeds2-no-warmup', 'ablation/subset-no-warmup.yaml', 2)
})

test('results folders: the profile\'s at k = 1, -seeds<k> and -val<n> beyond; one holding another profile\'s reports is refused', () => {
  const p = smoke()
  assert.equal(resultsNameOf(p), 'smoke')
  assert.equal(resultsNameOf(p, {seeds: 1}), 'smoke')
  assert.equal(resultsNameOf(p, {seeds: 3}), 'smoke-seeds3')
  assert.equal(resultsNameOf(p, {seeds: 2, valImages: 500}), 'smoke-seeds2-val500')
  assert.equal(resultsNameOf(p, {valImages: p.maxValImages}), 'smoke')
  assert.throws(() => applyDesign(p, {seeds: 0}), /--seeds 0: expected a whole number/)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-owner-'))
  writeFileSync(path.join(dir, 'provenance.json'), JSON.stringify({profile: 'subset-seeds8'}))
  assert.throws(() => checkResultsOwner(dir, 'subset'), /holds the reports of profile subset-seeds8, not subset/)
  checkResultsOwner(dir, 'subset-seeds8')
})

const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-seeds-'))
const data = path.join(root, 'data')
const quiet = {log: () => {}, progress: () => {}}

before(async () => {
  await initBackend('cpu')
  await writeTwoColourFolder(data)
})
after(() => {
  delete process.env.VGG_REPRO_RUNS
  delete process.env.VGG_REPRO_RESULTS
})

test("rows are the mean of their seeds' errors, each seed the combination of its own nets", async () => {
  const g = graphOf(smoke(3), FAKE_DATASET, path.join(root, 'graph-runs'))
  const {outcomes} = await runGraph({graph: g, executor: posteriorExecutor()})
  const rows = rowResults(g, outcomes)
  for (const [r, plan] of rows.map((x, i) => [x, g.rows[i]] as const)) {
    assert.equal(r.status, 'ok')
    assert.equal(r.perSeed?.length, 3)
    const own = plan.perSeed!.map((key) => outcomes.get(key)!.record!.output as {top1Err: number; top5Err: number})
    assert.deepEqual(r.perSeed!.map((s) => s.top1Err), own.map((o) => o.top1Err))
    assert.ok(Math.abs(r.reproduced!.top1Err - own.reduce((a, o) => a + o.top1Err, 0) / 3) < 1e-9)
    assert.ok(Math.abs(r.reproduced!.top5Err - own.reduce((a, o) => a + o.top5Err, 0) / 3) < 1e-9)
    assert.equal(r.posteriors, undefined)
  }
  // the seeds do differ (the test would pass on copies otherwise)
  assert.ok(rows.some((r) => new Set(r.perSeed!.map((s) => s.top1Err)).size > 1))
})

/** summary.md without what says when, by which commit and how fast it was written (the per-job wall times). */
const summaryOf = (dir: string) =>
  readFileSync(path.join(dir, 'summary.md'), 'utf8')
    .split('## Jobs')[0]
    .split('\n')
    .filter((l) => !/^\| (date|git commit|report re-rendered|job time) \|/.test(l))
    .join('\n')
    .replace(/\d[\d,]* (h|min)( \d+ min)?/g, '<time>')

test('the one-seed report of a cache with 3 seeds per net is the one-seed run\'s report; k = 3 reports go to their own folder and reuse k = 2\'s nets', async () => {
  process.env.VGG_REPRO_RESULTS = path.join(root, 'results')
  process.env.VGG_REPRO_RUNS = path.join(root, 'runs-one')
  const one = await runTables({tables: ['table3', 'table4', 'table5', 'table6'], profile: 'smoke', data, executor: posteriorExecutor(), ...quiet})
  const reference = summaryOf(one.resultsDir)
  assert.match(reference, /Training-run noise\*\* \(measured in this run\): net A trained with 2 seeds/)
  rmSync(one.resultsDir, {recursive: true})

  process.env.VGG_REPRO_RUNS = path.join(root, 'runs-many')
  const two = posteriorExecutor()
  await runTables({tables: ['table3', 'table4', 'table5', 'table6'], profile: 'smoke', data, seeds: 2, executor: two, ...quiet})
  assert.equal(two.trained.length, 2 * 12)
  const three = posteriorExecutor()
  const r3 = await runTables({tables: ['table3', 'table4', 'table5', 'table6'], profile: 'smoke', data, seeds: 3, executor: three, ...quiet})
  // only seed 3's nets are new
  assert.deepEqual([...new Set(three.trained.map((j) => j.seed))], [3])
  assert.equal(three.trained.length, 12)
  assert.equal(path.basename(r3.resultsDir), 'smoke-seeds3')
  assert.match(summaryOf(r3.resultsDir), /own 3 seeds/)
  // The one-seed report from this cache (A's second seed for the probe still to train: run, not report)
  const again = await runTables({tables: ['table3', 'table4', 'table5', 'table6'], profile: 'smoke', data, executor: posteriorExecutor(), ...quiet})
  assert.equal(again.ran.train, 0, 'seed 2 of A is the probe\'s second seed')
  assert.equal(summaryOf(again.resultsDir), reference)
  const rendered = await reportFromCache({profile: 'smoke', tables: ['table3', 'table4', 'table5', 'table6']})
  assert.equal(summaryOf(rendered.resultsDir), reference)
})
