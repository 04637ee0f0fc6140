import assert from 'node:assert/strict'
import {test} from 'node:test'
import {ancestors} from '../../src/runner/build-graph.js'
import type {JobGraph, TrainNode} from '../../src/runner/jobs.js'
import {GraphError, orderGraph} from '../../src/runner/order-graph.js'
import {graphFor, tempExperiments} from './helpers.js'

const trainNets = (g: JobGraph) =>
  [...g.nodes.values()]
    .filter((n): n is TrainNode => n.kind === 'train')
    .map((n) => `${n.config}@${n.stage}${n.seed === 1 ? '' : `#${n.seed}`}`)
    .sort()
const count = (g: JobGraph, kind: string) => [...g.nodes.values()].filter((n) => n.kind === kind).length

test('the four tables need 12 distinct nets; Tables 5 and 6 add none beyond Table 3', () => {
  const {dir, runs} = tempExperiments()
  const all = graphFor(dir, runs)
  // A, A-LRN, B, C, D, E at S=256; C, D, E at 384 and at [256;512]; and A with a
  // second seed for the training-run noise (smoke's seedNoise: {seeds: 2}).
  const expected = ['A-LRN@256', 'A@256', 'A@256#2', 'B@256', 'C@256', 'C@256-512', 'C@384', 'D@256', 'D@256-512', 'D@384', 'E@256', 'E@256-512', 'E@384']
  assert.deepEqual(trainNets(all), expected)
  assert.deepEqual(trainNets(graphFor(dir, runs, ['table3'])), expected)
  // Same keys, not just the same names: the nets are shared across tables.
  const keys = (g: JobGraph) => [...g.nodes.values()].filter((n) => n.kind === 'train').map((n) => n.key).sort()
  assert.deepEqual(keys(graphFor(dir, runs, ['table3'])), keys(all))
  // Alone, Table 5 still needs the chain A -> D/E 256 -> 384 -> jitter.
  assert.deepEqual(trainNets(graphFor(dir, runs, ['table5'])), ['A@256', 'A@256#2', 'D@256', 'D@256-512', 'D@384', 'E@256', 'E@256-512', 'E@384'])
})

test('evaluations are shared: Table 4 reuses Table 3 Q, Table 6 reuses 4 and 5', () => {
  const {dir, runs} = tempExperiments()
  const all = graphFor(dir, runs)
  // Table 3: 12 single-Q evals; Table 4: 10 nets x 3 Q, one of each already in
  // Table 3 -> 20 more; Table 5: multi-crop at 3 Q for D and E -> 6 more;
  // Table 6: all of its members' evals exist already. The seed runs of A add Q = 224,
  // 288 for the first seed and 224, 256, 288 for the second: 5 more.
  assert.equal(count(graphFor(dir, runs, ['table3']), 'eval'), 12 + 5)
  assert.equal(count(all, 'eval'), 38 + 5)
  // Rows: 12 + 10 + 6 + 4 = 32, but Table 5's dense rows equal Table 4's jittered D and E;
  // the seed runs add 3 (the first seed's Table 3 score is the A-256 row's own).
  assert.equal(all.rows.length, 32)
  assert.equal(count(all, 'combine'), 30 + 3)
  const t4 = all.rows.find((r) => r.row.table === 'table4' && r.row.id === 'D-jit')!
  const t5 = all.rows.find((r) => r.row.table === 'table5' && r.row.id === 'D-dense')!
  assert.equal(t4.combine, t5.combine)
})

test('seed runs: A with further seeds, scored like Tables 3 and 4; the first seed is the tables\' A', () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs)
  assert.deepEqual(g.seedRuns.map((r) => r.seed), [1, 2])
  const a256 = g.rows.find((r) => r.row.table === 'table3' && r.row.id === 'A-256')!
  assert.equal(g.seedRuns[0].single, a256.combine)
  const second = g.nodes.get(g.seedRuns[1].train) as TrainNode
  const first = g.nodes.get(g.seedRuns[0].train) as TrainNode
  assert.deepEqual([second.config, second.seed, second.init.from, second.maxEpochs], ['A', 2, 'random', first.maxEpochs])
  assert.notEqual(second.dir, first.dir)
  const qs = (key: string) => (g.nodes.get(key) as {groups: string[][]}).groups[0].map((k) => (g.nodes.get(k) as {q: number}).q)
  assert.deepEqual(qs(g.seedRuns[1].multi), [32, 37, 41]) // 224, 256, 288 at crop 32
  // Without seedNoise there are none.
  const t = tempExperiments()
  t.edit('profiles/smoke.yaml', /seedNoise: .*\n/, '')
  assert.deepEqual(graphFor(t.dir, t.runs).seedRuns, [])
})

test('init chains follow the paper: A and A-LRN random, deeper nets from A, 384 from 256, jitter from 384', () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs)
  const byNet = new Map([...g.nodes.values()].filter((n): n is TrainNode => n.kind === 'train' && n.seed === 1).map((n) => [`${n.config}@${n.stage}`, n]))
  const A = byNet.get('A@256')!
  assert.equal(A.init.from, 'random')
  assert.equal(A.lr.initial, 0.01)
  // A-LRN has A's 11 layers: no parent, random init with A's seed, A's schedule and epochs.
  const lrn = byNet.get('A-LRN@256')!
  assert.deepEqual(lrn.deps, [])
  assert.deepEqual(lrn.init, A.init)
  assert.deepEqual([lrn.seed, lrn.maxEpochs, lrn.lr], [A.seed, A.maxEpochs, A.lr])
  for (const c of ['B', 'C', 'D', 'E']) {
    const n = byNet.get(`${c}@256`)!
    assert.deepEqual(n.init, {from: 'A', parent: A.key, spec: {kind: 'normal', std: 0.1}})
  }
  for (const c of ['C', 'D', 'E']) {
    const s384 = byNet.get(`${c}@384`)!
    const jit = byNet.get(`${c}@256-512`)!
    assert.deepEqual(s384.init, {from: 'checkpoint', parent: byNet.get(`${c}@256`)!.key})
    assert.deepEqual(jit.init, {from: 'checkpoint', parent: s384.key})
    assert.equal(s384.lr.initial, 0.001)
    // smoke crop 32: S = 384 * 32/224 = 55, [256;512] -> [37;73], validated at 384 -> 55
    assert.deepEqual([s384.scaleMin, s384.scaleMax, jit.scaleMin, jit.scaleMax, jit.valScale], [55, 55, 37, 73, 55])
  }
  // ancestors: parents first
  const chain = ancestors(g.nodes, byNet.get('D@256-512')!.key).map((k) => g.nodes.get(k)!.name)
  assert.deepEqual(chain, ['train A S=37', 'train D S=37', 'train D S=55', 'train D S=[37;73]'])
})

test('keys depend on inputs, not on the published numbers or key order', () => {
  const a = tempExperiments()
  const before = graphFor(a.dir, a.runs)
  a.edit('table3.yaml', 'paper: {top1: 27.0, top5: 8.8}', 'paper: {top5: 8.8, top1: 99.9}')
  const after = graphFor(a.dir, a.runs)
  assert.deepEqual([...after.nodes.keys()].sort(), [...before.nodes.keys()].sort())
})

test('a cycle or an unknown dependency in the graph is rejected with the job names', () => {
  const nodes = new Map([
    ['a', {key: 'a', name: 'train A', deps: ['c']}],
    ['b', {key: 'b', name: 'train B', deps: ['a']}],
    ['c', {key: 'c', name: 'train C', deps: ['b']}],
  ])
  assert.throws(() => orderGraph(nodes), (e: unknown) => e instanceof GraphError && /cycle in the job graph: train A -> train C -> train B -> train A/.test(e.message))
  const missing = new Map([['a', {key: 'a', name: 'train A', deps: ['zzz']}]])
  assert.throws(() => orderGraph(missing), /train A" depends on an unknown job zzz/)
  const ok = new Map([
    ['b', {key: 'b', name: 'B', deps: ['a']}],
    ['a', {key: 'a', name: 'A', deps: []}],
  ])
  assert.deepEqual(orderGraph(ok), ['a', 'b'])
})
