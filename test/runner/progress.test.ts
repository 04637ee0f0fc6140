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

test('off a terminal: a line per training epoch, per finished job and per note; on a terminal the bars show them', () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs, ['table3'])
  const nodes = g.order.map((k) => g.nodes.get(k)!) as JobNode[]
  const train = nodes.find((n) => n.kind === 'train')!
  const evaluation = nodes.find((n) => n.kind === 'eval')!
  const feed = (p: GraphProgress) => {
    p.handle({type: 'start', node: train})
    p.handle({type: 'progress', node: train, fraction: 0.5, note: 'epoch 1/2 val top-1 50.0%'})
    p.handle({type: 'progress', node: train, fraction: 1, note: 'epoch 2/2 val top-1 40.0%'})
    p.handle({type: 'note', node: train, text: 'skipped unreadable training image x.jpg: bad'})
    p.handle({type: 'finish', node: train, outcome: {state: 'done'}})
    p.handle({type: 'start', node: evaluation})
    p.handle({type: 'progress', node: evaluation, fraction: 0.5, note: '8/16 images'})
    p.handle({type: 'finish', node: evaluation, outcome: {state: 'done'}})
  }
  const log: string[] = []
  feed(new GraphProgress(g, new Map(), (l) => log.push(l), {tty: false}))
  assert.deepEqual(log.filter((l) => !l.startsWith('[')), [
    `  ${train.name}: epoch 1/2 val top-1 50.0%`,
    `  ${train.name}: epoch 2/2 val top-1 40.0%`,
    `${train.name}: skipped unreadable training image x.jpg: bad`,
    `  done ${train.name} in <1s`,
    `  done ${evaluation.name} in <1s`,
  ])
  const tty: string[] = []
  feed(new GraphProgress(g, new Map(), (l) => tty.push(l), {tty: true}))
  assert.deepEqual(tty.filter((l) => !l.startsWith('[')), [`${train.name}: skipped unreadable training image x.jpg: bad`])
})
