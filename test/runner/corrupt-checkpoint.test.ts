// A checkpoint damaged on disk after its job finished (same size, other bytes) is
// found before a job loads it, named, set aside, and its job trained again; the
// nets that start from it then train normally instead of failing forever with
// "training diverged" (issue 11). Real smoke-size training on generated images.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {initBackend} from '../../src/backend/backend.js'
import type {JobGraph, TrainNode} from '../../src/runner/jobs.js'
import {realExecutor} from '../../src/runner/real-executor.js'
import {runGraph, type RunEvent} from '../../src/runner/run-graph.js'
import {loadCheckpoint} from '../../src/train/checkpoint.js'
import {makeDataset, removeDir, smokeJob} from '../train/fixtures.js'

let data: string
let root: string

before(async () => {
  await initBackend()
  data = await makeDataset(8, 2)
  root = mkdtempSync(path.join(os.tmpdir(), 'vgg-corrupt-ckpt-'))
  process.env.VGG_REPRO_CACHE = path.join(root, 'cache')
})
after(async () => {
  delete process.env.VGG_REPRO_CACHE
  await removeDir(data)
  await removeDir(root)
})

/** Net A from random init, then A fine-tuned from A's checkpoint: the smallest init chain. */
function chain(): JobGraph {
  const {init: _i, outDir: _o, ...job} = smokeJob(data, '', {maxEpochs: 1})
  const node = (key: string, name: string, over: Partial<TrainNode>): TrainNode => ({
    ...job,
    kind: 'train',
    key,
    name,
    deps: [],
    dir: path.join(root, 'runs', 'jobs', `train-${key}`),
    config: 'A',
    stage: '256',
    scale: 256,
    init: {from: 'random', spec: {kind: 'glorot'}},
    ...over,
  })
  const a = node('a', 'train A', {})
  const b = node('b', 'train A fine-tuned', {deps: ['a'], init: {from: 'checkpoint', parent: 'a'}, lr: {...job.lr, initial: 0.001}})
  return {
    profile: 'test',
    dataset: {root: data, id: 'x', numClasses: 3, trainImages: 24, valImages: 6},
    nodes: new Map([['a', a], ['b', b]]),
    order: ['a', 'b'],
    rows: [],
    seedRuns: [],
  }
}

/** Overwrite the first weight tensor with 0x7f bytes (floats of 3.4e38): same size, other content. */
function damageFirstTensor(file: string): void {
  const buf = readFileSync(file)
  const headerBytes = buf.readUInt32LE(8)
  const header = JSON.parse(buf.subarray(12, 12 + headerBytes).toString('utf8')) as {tensors: {offset: number; length: number}[]}
  const t = header.tensors[0]
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(t.length * 4, 0x7f), 0, t.length * 4, 12 + headerBytes + t.offset)
  closeSync(fd)
}

const notesOf = (events: RunEvent[]) => events.filter((e) => e.type === 'note').map((e) => `${e.node.name}: ${(e as {text: string}).text}`)

test('a corrupted checkpoint is detected, named and retrained; the nets that start from it then train normally', {timeout: 120_000}, async () => {
  const g = chain()
  const first = await runGraph({graph: g, executor: realExecutor({progressBars: false})})
  assert.equal(first.counts.failed, 0, JSON.stringify([...first.outcomes.values()].map((o) => o.error)))
  const aFile = path.join(g.nodes.get('a')!.dir, 'checkpoint.ckpt')
  const aWeights = (await loadCheckpoint(aFile)).weights

  // A's checkpoint is damaged; B must train again from it.
  damageFirstTensor(aFile)
  rmSync(g.nodes.get('b')!.dir, {recursive: true})
  const events: RunEvent[] = []
  const second = await runGraph({graph: chain(), executor: realExecutor({progressBars: false}), onEvent: (e) => events.push(e)})
  // (before: A was used as is, so B trained from garbage weights: silently, as with this
  // damage, or failing with "training diverged" on every rerun, as the issue saw)
  assert.equal(second.counts.failed, 0, JSON.stringify([...second.outcomes.values()].map((o) => o.error)))
  assert.deepEqual(second.ran, {train: 2, eval: 0, combine: 0})
  const notes = notesOf(events)
  assert.ok(notes.some((n) => n.startsWith('train A: ') && n.includes('checkpoint.ckpt is corrupt') && n.includes('training train A again')), notes.join('\n'))
  assert.ok(existsSync(`${aFile}.corrupt`)) // kept for inspection
  // Training is deterministic: the retrained A is the A that was lost.
  const again = (await loadCheckpoint(aFile)).weights
  for (const [name, w] of aWeights) assert.deepEqual(again.get(name)!.data, w.data, name)

  // A job's own checkpoint damaged (its result.json gone): set aside, trained from the start.
  const bNode = g.nodes.get('b')!
  const bFile = path.join(bNode.dir, 'checkpoint.ckpt')
  damageFirstTensor(bFile)
  rmSync(path.join(bNode.dir, 'result.json'))
  const events3: RunEvent[] = []
  const third = await runGraph({graph: chain(), executor: realExecutor({progressBars: false}), onEvent: (e) => events3.push(e)})
  assert.equal(third.counts.failed, 0)
  assert.deepEqual(third.ran, {train: 1, eval: 0, combine: 0})
  assert.ok(notesOf(events3).some((n) => n.startsWith('train A fine-tuned: ') && n.includes('is corrupt') && n.includes('from the start')), notesOf(events3).join('\n'))
  const {verifyCheckpoint} = await import('../../src/train/checkpoint.js')
  await verifyCheckpoint(bFile)
})
