import assert from 'node:assert/strict'
import {test} from 'node:test'
import {GraphProgress} from '../../src/runner/progress.js'
import type {JobNode} from '../../src/runner/jobs.js'
import {graphFor, tempExperiments} from './helpers.js'

test('progress lines count jobs done / running / failed / left and give an ETA', () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs, ['table3'])
  const estimates = new Map([...g.nodes.values()].map((n) => [n.key, n.kind === 'train' ? 60 : n.kind === 'eval' ? 10 : 0]))
  const lines: string[] = []
  const p = new GraphProgress(g, estimates, (l) => lines.push(l))
  const nodes = g.order.map((k) => g.nodes.get(k)!) as JobNode[]
  p.handle({type: 'finish', node: nodes[0], outcome: {state: 'cached'}})
  p.handle({type: 'start', node: nodes[1]})
  assert.equal(lines[0], `1 of ${g.nodes.size} jobs are cached (finished earlier)`)
  // 12 train jobs (with A's second seed) x 60 s + 17 evals x 10 s left, no measurements yet
  assert.equal(lines[1], `[2/${g.nodes.size}] 1 done (1 cached), 1 running, 0 failed, ${g.nodes.size - 2} left, ETA 14m50s | ${nodes[1].name}`)
  p.handle({type: 'finish', node: nodes[1], outcome: {state: 'failed', error: 'out of memory'}})
  assert.equal(lines[2], `FAILED ${nodes[1].name}: out of memory`)
  // dependents of a failure add no lines of their own
  p.handle({type: 'finish', node: nodes[2], outcome: {state: 'failed', error: 'needs x, which failed: out of memory'}})
  assert.equal(lines.length, 3)
})
