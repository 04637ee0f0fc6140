import assert from 'node:assert/strict'
import {test} from 'node:test'
import {rowResults, cachedOutcomes} from '../../src/runner/row-results.js'
import {runGraph} from '../../src/runner/run-graph.js'
import {fakeExecutor} from './fake-executor.js'
import {graphFor, tempExperiments} from './helpers.js'

test('a first run does every job once; a second run with a warm cache trains nothing', async () => {
  const {dir, runs} = tempExperiments()
  const first = fakeExecutor()
  const s1 = await runGraph({graph: graphFor(dir, runs), executor: first})
  assert.deepEqual(s1.ran, {train: 13, eval: 43, combine: 33})
  assert.equal(s1.counts.failed, 0)
  const g = graphFor(dir, runs)
  const rows = rowResults(g, s1.outcomes)
  assert.equal(rows.length, 32)
  assert.ok(rows.every((r) => r.status === 'ok' && r.reproduced !== undefined))
  // each row lists its train chain, evals and combination
  const dJit = rows.find((r) => r.table === 'table3' && r.id === 'D-jit')!
  assert.deepEqual(dJit.jobs.map((j) => j.kind), ['train', 'train', 'train', 'train', 'eval', 'combine'])
  assert.ok(dJit.jobs[0].metricsPath?.endsWith('metrics.csv'))

  const second = fakeExecutor()
  const s2 = await runGraph({graph: g, executor: second})
  assert.deepEqual(s2.ran, {train: 0, eval: 0, combine: 0})
  assert.equal(second.calls.train.length, 0)
  assert.equal(s2.counts.cached, g.nodes.size)
  // `report` sees the same results without running anything
  assert.deepEqual(rowResults(g, cachedOutcomes(g)).map((r) => r.status), rows.map((r) => r.status))
})

test('train jobs get their parents\' checkpoints', async () => {
  const {dir, runs} = tempExperiments()
  const fake = fakeExecutor()
  await runGraph({graph: graphFor(dir, runs, ['table5']), executor: fake})
  const [a, d256, d384] = fake.calls.train
  assert.equal(a.init.from, 'random')
  assert.deepEqual(d256.init, {from: 'A', checkpoint: `${a.outDir}/checkpoint.json`, spec: {kind: 'normal', std: 0.1}})
  assert.deepEqual(d384.init, {from: 'checkpoint', checkpoint: `${d256.outDir}/checkpoint.json`})
})

test('editing one row reruns only its jobs', async () => {
  const t = tempExperiments()
  await runGraph({graph: graphFor(t.dir, t.runs), executor: fakeExecutor()})
  // Table 4's D/384 row at other test scales: two new evals and its combination.
  t.edit('table4.yaml', /(id: D-384\n(?:.*\n){2}\s+q: )\[352, 384, 416\]/, '$1[320, 384, 448]')
  const fake = fakeExecutor()
  const s = await runGraph({graph: graphFor(t.dir, t.runs), executor: fake})
  assert.deepEqual(s.ran, {train: 0, eval: 2, combine: 1})
  assert.deepEqual(fake.calls.evaluate.map((e) => e.scale).sort(), [46, 64]) // 320, 448 at crop 32
})

test('changing a profile knob reruns exactly the jobs that depend on it', async () => {
  const t = tempExperiments()
  await runGraph({graph: graphFor(t.dir, t.runs), executor: fakeExecutor()})
  t.edit('profiles/smoke.yaml', 'epochs: {base: 1, s384: 1, jitter: 1}', 'epochs: {base: 1, s384: 1, jitter: 2}')
  const fake = fakeExecutor()
  const s = await runGraph({graph: graphFor(t.dir, t.runs), executor: fake})
  // the three jittered nets, their evals (Q 256, 384, 512 dense + multi-crop for D and E),
  // and every row that uses a jittered net
  assert.equal(s.ran.train, 3)
  assert.ok(fake.calls.train.every((j) => j.scaleMin !== j.scaleMax))
  assert.equal(s.ran.eval, 3 * 3 + 2 * 3)
})

test('a failing job fails its dependents with the cause; the others finish; a rerun resumes', async () => {
  const t = tempExperiments()
  const failing = fakeExecutor({failTrain: (j) => (j.net.config === 'C' && j.scaleMin === 37 && j.scaleMax === 37 ? 'disk full while writing checkpoint' : undefined)})
  const s1 = await runGraph({graph: graphFor(t.dir, t.runs), executor: failing})
  const g = graphFor(t.dir, t.runs)
  const rows = rowResults(g, s1.outcomes)
  const cRows = rows.filter((r) => r.label.startsWith('C ') || r.id === 'ilsvrc-7nets')
  assert.equal(cRows.length, 3 + 3 + 1)
  for (const r of cRows) {
    assert.equal(r.status, 'failed', r.id)
    assert.match(r.error!, /disk full while writing checkpoint/)
  }
  const c384 = rows.find((r) => r.table === 'table3' && r.id === 'C-384')!
  assert.equal(c384.error, 'train C S=37 failed: disk full while writing checkpoint')
  assert.ok(rows.filter((r) => !cRows.includes(r)).every((r) => r.status === 'ok'))
  // the failure is remembered for `report`
  assert.equal(rowResults(g, cachedOutcomes(g)).find((r) => r.id === 'C-384')!.status, 'failed')

  const retry = fakeExecutor()
  const s2 = await runGraph({graph: g, executor: retry})
  assert.deepEqual(retry.calls.train.map((j) => j.net.config), ['C', 'C', 'C'])
  assert.equal(s2.counts.failed, 0)
  assert.ok(rowResults(g, s2.outcomes).every((r) => r.status === 'ok'))
})

test('a NaN loss fails the net with a clear message', async () => {
  const t = tempExperiments()
  const fake = fakeExecutor({nanTrain: (j) => j.net.config === 'A-LRN'})
  const s = await runGraph({graph: graphFor(t.dir, t.runs, ['table3']), executor: fake})
  const row = rowResults(graphFor(t.dir, t.runs, ['table3']), s.outcomes).find((r) => r.id === 'A-LRN-256')!
  assert.equal(row.status, 'failed')
  assert.match(row.error!, /^train A-LRN S=37 failed: NaN loss after 1 epoch\(s\)/)
})

test('an interrupt stops the run; the rest stays pending and a rerun picks up', async () => {
  const t = tempExperiments()
  const controller = new AbortController()
  const fake = fakeExecutor()
  const train = fake.train.bind(fake)
  fake.train = async (job, ctx) => {
    const r = await train(job, ctx)
    if (job.net.config === 'B') controller.abort()
    return r
  }
  const g = graphFor(t.dir, t.runs, ['table3'])
  const s = await runGraph({graph: g, executor: fake, signal: controller.signal})
  assert.equal(s.interrupted, true)
  assert.equal(s.counts.failed, 0)
  assert.ok(s.counts.pending > 0)
  const again = fakeExecutor()
  await runGraph({graph: g, executor: again})
  assert.ok(!again.calls.train.some((j) => ['A', 'B'].includes(j.net.config) && j.seed === 1))
})
