// Claim verdicts on hand-made results: holds, fails, within noise, pending, and the
// 'not-lower' form used for "LRN does not help".
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {loadClaims, claimsFile, loadTables} from '../../src/experiments/index.js'
import type {Claim, RowResult} from '../../src/experiments/types.js'
import {combineVerdicts, compare, evaluateClaim, evaluateClaims, noiseLevel} from '../../src/report/index.js'
import {claimsMarkdown} from '../../src/report/claims-markdown.js'
import {ok, paperRows} from './fixtures.js'

const est = (err: number, half: number) => ({err, ci: [err - half, err + half] as [number, number]})

test('noise level combines the two CI half-widths in quadrature', () => {
  assert.equal(noiseLevel(est(20, 3), est(25, 4)), 5)
})

test('lower: holds beyond the noise, fails beyond it the other way, else within noise', () => {
  assert.equal(compare(est(20, 1), est(25, 1), 'lower').verdict, 'holds')
  assert.equal(compare(est(25, 1), est(20, 1), 'lower').verdict, 'fails')
  assert.equal(compare(est(24, 1), est(25, 1), 'lower').verdict, 'within noise')
  assert.equal(compare(est(25.5, 1), est(25, 1), 'lower').verdict, 'within noise')
  const out = compare(est(20, 3), est(25, 4), 'lower')
  assert.equal(out.d, 5)
  assert.equal(out.verdict, 'within noise') // d equal to the noise is not beyond it
})

test('not-lower: holds when no improvement is seen, fails on a clear improvement', () => {
  assert.equal(compare(est(30, 1), est(29.5, 1), 'not-lower').verdict, 'holds')
  assert.equal(compare(est(29.5, 1), est(30, 1), 'not-lower').verdict, 'within noise')
  assert.equal(compare(est(25, 1), est(30, 1), 'not-lower').verdict, 'fails')
})

test('combined verdict: pending beats fails beats within noise beats holds', () => {
  assert.equal(combineVerdicts(['holds', 'holds']), 'holds')
  assert.equal(combineVerdicts(['holds', 'within noise']), 'within noise')
  assert.equal(combineVerdicts(['holds', 'within noise', 'fails']), 'fails')
  assert.equal(combineVerdicts(['fails', 'pending']), 'pending')
  assert.equal(combineVerdicts([]), 'pending')
})

const DEPTH: Claim = {
  id: 'depth',
  text: 'Error falls with depth.',
  section: '4.1',
  metric: 'top1',
  comparisons: [
    {subject: 'table3/B-256', reference: 'table3/A-256', expect: 'lower'},
    {subject: 'table3/D-256', reference: 'table3/B-256', expect: 'lower'},
  ],
  source: {file: 'test', line: 1},
}

function rows3(errs: Record<string, number | 'failed'>, half = 1): RowResult[] {
  return paperRows((r) => {
    if (r.table !== 'table3' || !(r.id in errs)) return undefined
    const e = errs[r.id]
    return e === 'failed' ? {status: 'failed', error: 'boom'} : ok(e, e / 3, 1000, half)
  })
}

test('claim verdicts on hand-made results', () => {
  assert.equal(evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 30})).verdict, 'holds')
  assert.equal(evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 38})).verdict, 'fails')
  assert.equal(evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 34.5})).verdict, 'within noise')
  // Same numbers, but wide CIs (a tiny validation set) turn "holds" into "within noise".
  assert.equal(evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 30}, 5)).verdict, 'within noise')
  const pending = evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35}))
  assert.equal(pending.verdict, 'pending')
  assert.equal(pending.checks[0].verdict, 'holds') // the available comparison is still shown
  assert.equal(pending.checks[1].reason, 'table3/D-256 is pending')
  const failedRow = evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 'failed'}))
  assert.equal(failedRow.verdict, 'pending')
  assert.equal(failedRow.checks[1].reason, 'table3/D-256 failed')
  const absent = evaluateClaim(DEPTH, rows3({'A-256': 40, 'B-256': 35, 'D-256': 30}).filter((r) => r.id !== 'D-256'))
  assert.equal(absent.checks[1].reason, 'table3/D-256 is not in this run')
})

test('metric both checks top-1 and top-5, and the paper difference is reported', () => {
  const both: Claim = {...DEPTH, metric: 'both'}
  const r = evaluateClaim(both, rows3({'A-256': 40, 'B-256': 35, 'D-256': 30}))
  assert.equal(r.checks.length, 4)
  assert.deepEqual(r.checks.map((c) => c.metric), ['top1', 'top5', 'top1', 'top5'])
  assert.ok(Math.abs((r.checks[0].paperD ?? NaN) - 0.9) < 1e-9) // A 29.6 - B 28.7
})

test("the project's claims: all pending with no results, all hold on the paper's own numbers", () => {
  const tables = loadTables()
  const claims = loadClaims(claimsFile(), tables)
  assert.ok(claims.length >= 7)
  for (const r of evaluateClaims(claims, paperRows())) assert.equal(r.verdict, 'pending', r.claim.id)
  // The paper's own numbers, scaled x3 and with tight CIs, put every claimed difference
  // beyond the noise: every claim holds (A-LRN 29.7 vs A 29.6: no improvement).
  const scaled = paperRows((r) => ok(r.paper.top1 * 3, r.paper.top5 * 3, 1000, 0.05))
  for (const r of evaluateClaims(claims, scaled)) assert.equal(r.verdict, 'holds', r.claim.id)
  const md = claimsMarkdown(evaluateClaims(claims, scaled))
  assert.match(md, /\*\*holds\*\*/)
})
