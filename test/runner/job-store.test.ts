// The job cache on disk (result.json): what counts as a finished job, and what
// survives moving the runs folder (issue 11).
import assert from 'node:assert/strict'
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {runGraph, type RunEvent} from '../../src/runner/run-graph.js'
import {fakeExecutor} from './fake-executor.js'
import {graphFor, tempExperiments} from './helpers.js'

test('result.json holding null, or a record with an empty output, reruns that job instead of crashing or counting it finished', async () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs, ['table3'])
  await runGraph({graph: g, executor: fakeExecutor()})
  const [trainKey, secondKey] = g.order.filter((k) => g.nodes.get(k)!.kind === 'train')
  const evalKey = g.order.find((k) => g.nodes.get(k)!.kind === 'eval')!
  const resultOf = (k: string) => path.join(g.nodes.get(k)!.dir, 'result.json')
  writeFileSync(resultOf(trainKey), 'null\n')
  const record = JSON.parse(readFileSync(resultOf(evalKey), 'utf8'))
  writeFileSync(resultOf(evalKey), JSON.stringify({...record, output: {}}))
  const second = JSON.parse(readFileSync(resultOf(secondKey), 'utf8'))
  writeFileSync(resultOf(secondKey), JSON.stringify({...second, output: {...second.output, stoppedBy: 'nan'}}))

  const events: RunEvent[] = []
  const fake = fakeExecutor()
  const s = await runGraph({graph: g, executor: fake, onEvent: (e) => events.push(e)})
  assert.equal(s.counts.failed, 0)
  assert.equal(s.ran.train, 2) // the null record and the one not finished
  assert.equal(s.ran.eval, 1) // the empty output
  const notes = events.filter((e) => e.type === 'note').map((e) => (e as {text: string}).text)
  assert.ok(notes.some((t) => t.includes(resultOf(trainKey)) && /not a job record \(null\)/.test(t)), notes.join('\n'))
  assert.ok(notes.some((t) => t.includes(resultOf(evalKey)) && /incomplete output \(no posteriors file\)/.test(t)), notes.join('\n'))
  // and the rerun wrote proper records again: a third run does nothing
  const third = await runGraph({graph: graphFor(dir, runs, ['table3']), executor: fakeExecutor()})
  assert.deepEqual(third.ran, {train: 0, eval: 0, combine: 0})
})

test('moving the runs folder keeps the cache: result.json stores paths relative to the job folder', async () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs, ['table3'])
  await runGraph({graph: g, executor: fakeExecutor()})
  for (const node of g.nodes.values()) {
    const text = readFileSync(path.join(node.dir, 'result.json'), 'utf8')
    assert.ok(!text.includes(runs), `absolute path in ${node.dir}/result.json: ${text}`)
  }
  const moved = `${runs}-moved`
  renameSync(runs, moved)
  const fake = fakeExecutor()
  const s = await runGraph({graph: graphFor(dir, moved, ['table3']), executor: fake})
  assert.deepEqual(s.ran, {train: 0, eval: 0, combine: 0})
  assert.equal(s.counts.cached, g.nodes.size)
  // the cached records resolve to the files at their new place
  const train = [...s.outcomes.values()].find((o) => o.record?.kind === 'train')!
  assert.ok((train.record!.output as {checkpoint: string}).checkpoint.startsWith(moved + path.sep))
})
