// The budget planner (issue 20): `plan --budget D` chooses seeds per net and val images.
// More budget never gives a worse design (every design that fit a smaller budget still
// fits); a budget below the cheapest design is one line and exit 2; --json carries the
// numbers the text prints.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {chooseDesign} from '../../src/runner/budget/choose-design.js'
import type {CostModel} from '../../src/runner/budget/design-cost.js'
import {BudgetError, parseDuration} from '../../src/runner/budget/duration.js'
import type {NoiseModel} from '../../src/runner/budget/noise-source.js'
import type {Plan} from '../../src/runner/plan.js'

test('durations as people write them; anything else is one line naming the flag', () => {
  assert.equal(parseDuration('90m'), 5400)
  assert.equal(parseDuration('8h'), 28800)
  assert.equal(parseDuration('2d'), 172800)
  assert.equal(parseDuration('1h30m'), 5400)
  assert.equal(parseDuration('1.5h'), 5400)
  for (const bad of ['', '8', 'h', '8 hours', '-1h', '0m'])
    assert.throws(() => parseDuration(bad), (e: Error) => e instanceof BudgetError && /^--budget ".*": expected a duration/.test(e.message) && !e.message.includes('\n'), bad)
})

// Two claims: one whose noise is mostly the seeds' (more seeds help), one mostly the
// images' (more val images help); a job graph costing 1 h per seed plus 1 s per image.
const noise: NoiseModel = {
  source: 'constructed',
  claims: [
    {id: 'seedy', text: 'seedy', paperEffect: 1.0, own: {seSample: 0.3, seSeed: 3, n: 1000, seedShare: 1}, probe: {seSample: 0.3, seSeed: 3, n: 1000, seedShare: 1}},
    {id: 'imagey', text: 'imagey', paperEffect: 1.0, own: {seSample: 0.45, seSeed: 0.2, n: 1000, seedShare: 0}, probe: {seSample: 0.45, seSeed: 0.2, n: 1000, seedShare: 0}},
  ],
  probeDof: 2,
  missing: [],
}
const cost: CostModel = {seconds: (k, n) => 3600 * k + n, freshSeed: (n) => 3600 + n, basePlan: {} as Plan}
const IMAGES = [100, 200, 500, 1000, 2000, 3925]

test('more budget never lowers the claims at 80% power or the summed power; more seeds get bought', () => {
  let last = {powered: -1, powerSum: -1, seeds: 0}
  const seen: number[] = []
  for (const hours of [1.2, 2, 4, 8, 24, 48, 96, 400]) {
    const {best, perSeeds} = chooseDesign(hours * 3600, cost, noise, IMAGES)
    assert.ok(best.seconds <= hours * 3600)
    assert.ok(perSeeds.every((d) => d.seconds <= hours * 3600))
    assert.ok(best.powered >= last.powered, `${hours} h: ${best.powered} < ${last.powered}`)
    if (best.powered === last.powered) assert.ok(best.powerSum >= last.powerSum - 0.005 * best.claims.length, `${hours} h`)
    last = best
    seen.push(best.seeds)
  }
  assert.ok(seen[seen.length - 1] > seen[0], `seeds chosen ${seen.join(', ')}`)
  // At the largest budget both claims are powered: the planner found enough seeds and images.
  assert.equal(last.powered, 2)
})

test('a budget below the cheapest design is refused in one line saying what it needs', () => {
  assert.throws(
    () => chooseDesign(600, cost, noise, IMAGES),
    (e: Error) => e instanceof BudgetError && /^budget 10m00s is below one seed of every net: the cheapest design takes about 1h01m here$/.test(e.message) && !e.message.includes('\n'),
  )
})

// The CLI end to end on the smoke profile and a generated image folder: the rate is
// measured on this machine, the noise is the smoke profile's declared noiseDefaults.
let root = ''
let data = ''
before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vgg-budget-'))
  data = path.join(root, 'data')
  const made = spawnSync(process.execPath, ['scripts/make-toy-imagefolder.mjs', data, '--classes', '2', '--train', '4', '--val', '4'], {encoding: 'utf8'})
  assert.equal(made.status, 0, made.stderr)
})
after(() => rmSync(root, {recursive: true, force: true}))

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/run.js', 'plan', '--profile', 'smoke', '--data', data, ...args], {
    encoding: 'utf8',
    env: {...process.env, VGG_REPRO_RUNS: path.join(root, 'runs'), VGG_REPRO_RESULTS: path.join(root, 'results')},
    timeout: 180_000,
    maxBuffer: 256 * 1024 * 1024, // --json lists the best design for every seed count that fits
  })

/** stderr without TensorFlow's own start-up log lines (absl/oneDNN notices, not ours) */
const ours = (stderr: string) => stderr.split('\n').filter((l) => !/^WARNING: All log messages before absl|^[IWE]\d{4} /.test(l)).join('\n')

test('plan --budget: power rises with the budget in text and --json alike; too small a budget is exit 2 and one line', () => {
  const designs = ['5m', '30m', '8h'].map((b) => {
    const r = cli('--budget', b, '--json')
    assert.equal(r.status, 0, `${r.signal} ${r.error} ${r.stderr}`)
    return JSON.parse(r.stdout)
  })
  for (const d of designs) {
    assert.equal(d.kind, 'budget')
    assert.ok(d.design.seconds <= d.budgetSeconds)
    assert.match(d.command, new RegExp(`^vgg-repro all --profile smoke --seeds ${d.design.seeds}`))
  }
  for (let i = 1; i < designs.length; i++) {
    const [a, b] = [designs[i - 1].design, designs[i].design]
    assert.ok(b.powered > a.powered || (b.powered === a.powered && b.powerSum >= a.powerSum - 0.005 * b.claims.length), `${i}`)
  }
  assert.ok(designs[2].design.seeds > designs[0].design.seeds)

  const text = cli('--budget', '8h')
  assert.equal(text.status, 0, text.stderr)
  const d = designs[2].design
  assert.match(text.stdout, new RegExp(`^Budget 8h0?0?m? for profile smoke: ${d.seeds} seeds per net on ${d.valImages} val images, .*; ${d.powered} of ${d.claims.length} claims reach 80% power`, 'm'))

  // 10 ms: below any real job graph on any machine (1 s was not: a fast runner fit one seed of smoke in it)
  const tiny = cli('--budget', '0.01s')
  assert.equal(tiny.status, 2)
  assert.match(ours(tiny.stderr), /^vgg-repro: budget \S+ is below one seed of every net: the cheapest design takes about \S+ here$/m)
  const bad = cli('--budget', 'soon')
  assert.equal(bad.status, 2)
  assert.match(ours(bad.stderr), /^vgg-repro: --budget "soon": expected a duration such as 90m, 8h, 48h, 2d or 1h30m$/m)
  const both = cli('--budget', '8h', '--seeds', '2')
  assert.equal(both.status, 2)
  assert.equal(ours(both.stderr).split('\n').filter(Boolean).length, 1)
})
