// Row results name the combined posterior file their numbers came from, so claims can
// compare rows image by image: from the combine record, or (records written before the
// path was recorded) where the real executor writes it; no file, no path.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {initBackend} from '../../src/backend/backend.js'
import {readPosteriors, writePosteriors} from '../../src/eval/posteriors-file.js'
import type {Posteriors} from '../../src/eval/types.js'
import {perImageErrors} from '../../src/report/per-image-errors.js'
import {combinedPosteriorsPath} from '../../src/runner/paths.js'
import {cachedOutcomes, rowResults} from '../../src/runner/row-results.js'
import {runGraph} from '../../src/runner/run-graph.js'
import {fakeExecutor} from './fake-executor.js'
import {graphFor, tempExperiments} from './helpers.js'

test("a row points at its combine job's posterior file", async () => {
  const {dir, runs} = tempExperiments()
  const fake = fakeExecutor()
  const combine = fake.combine
  fake.combine = async (req, ctx) => {
    const out = await combine(req, ctx)
    mkdirSync(req.outDir, {recursive: true})
    const file = combinedPosteriorsPath(req.outDir)
    writeFileSync(file, 'combined')
    return {...out, posteriors: file}
  }
  const g = graphFor(dir, runs, ['table3'])
  const rows = rowResults(g, (await runGraph({graph: g, executor: fake})).outcomes)
  g.rows.forEach((plan, i) => assert.equal(rows[i].posteriors, path.join(g.nodes.get(plan.combine)!.dir, 'combined.posteriors')))
  assert.deepEqual(rowResults(g, cachedOutcomes(g)).map((r) => r.posteriors), rows.map((r) => r.posteriors))
  // the file is part of the record: without it the combination reruns
  rmSync(rows[0].posteriors!)
  assert.equal(cachedOutcomes(g).get(g.rows[0].combine)!.state, 'pending')
})

test('records without the path: the job folder\'s file if it exists, else none', async () => {
  const {dir, runs} = tempExperiments()
  const g = graphFor(dir, runs, ['table3'])
  const rows = rowResults(g, (await runGraph({graph: g, executor: fakeExecutor()})).outcomes)
  assert.ok(rows.every((r) => r.status === 'ok' && r.posteriors === undefined))
  const file = combinedPosteriorsPath(g.nodes.get(g.rows[1].combine)!.dir)
  writeFileSync(file, 'combined')
  const again = rowResults(g, cachedOutcomes(g))
  assert.equal(again[1].posteriors, file)
  assert.equal(again.filter((r) => r.posteriors !== undefined).length, 1)
})

test("the real executor's combine returns the file its numbers were computed from", async () => {
  await initBackend('cpu')
  const {realExecutor} = await import('../../src/runner/real-executor.js')
  const dir = mkdtempSync(path.join(tmpdir(), 'vgg-combine-'))
  const n = 40
  const k = 6
  const make = (shift: number): Posteriors => {
    const data = new Float32Array(n * k)
    for (let i = 0; i < data.length; i++) data[i] = ((i * 7 + shift) % 11) / 11
    return {classes: Array.from({length: k}, (_, c) => `c${c}`), ids: Array.from({length: n}, (_, i) => `img${i}`), labels: Int32Array.from({length: n}, (_, i) => i % k), data, n, technique: 'dense', scales: [64], checkpoints: [], skipped: []}
  }
  await writePosteriors(path.join(dir, 'a.posteriors'), make(0))
  await writePosteriors(path.join(dir, 'b.posteriors'), make(5))
  const out = await realExecutor({progressBars: false}).combine({groups: [[path.join(dir, 'a.posteriors')], [path.join(dir, 'b.posteriors')]], outDir: path.join(dir, 'job')}, {})
  assert.equal(out.posteriors, combinedPosteriorsPath(path.join(dir, 'job')))
  assert.ok(existsSync(out.posteriors!))
  const e = perImageErrors(await readPosteriors(out.posteriors!))
  const pct = (a: Uint8Array) => (100 * a.reduce((s, x) => s + x, 0)) / a.length
  assert.equal(pct(e.top1), out.top1Err)
  assert.equal(pct(e.top5), out.top5Err)
  assert.equal(e.ids.length, out.n)
})
