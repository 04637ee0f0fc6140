// Paired claim verdicts on hand-made posterior files (written with the eval module's
// writer into a temp dir): the paired rule resolves a 2-point difference on 1000
// images that the two rows' independent intervals cannot, and falls back to the
// unpaired rule when a file is missing or the rows cover different images.
import assert from 'node:assert/strict'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {writePosteriors} from '../../src/eval/posteriors-file.js'
import {ranksOf} from '../../src/eval/ranks.js'
import type {Posteriors} from '../../src/eval/types.js'
import type {Claim, RowResult} from '../../src/experiments/types.js'
import {claimsMarkdown} from '../../src/report/claims-markdown.js'
import {evaluateClaim, loadPerImageErrors, pairedDifference, perImageErrors, trueClassRank} from '../../src/report/index.js'
import {wilsonPercent} from '../../src/eval/wilson.js'

const N = 1000
const CLASSES = 10
const dir = mkdtempSync(path.join(tmpdir(), 'vgg-paired-'))

/** Per image: right, top-1 wrong but top-5 right (true class 4th), or wrong at both. */
type Outcome = 'right' | 'top1' | 'both'

function posteriors(outcome: (i: number) => Outcome, ids = (i: number) => `val/c${i % CLASSES}/img${i}.JPEG`): Posteriors {
  const data = new Float32Array(N * CLASSES)
  const labels = new Int32Array(N)
  for (let i = 0; i < N; i++) {
    const label = i % CLASSES
    labels[i] = label
    const row = data.subarray(i * CLASSES, (i + 1) * CLASSES)
    const o = outcome(i)
    for (let c = 0; c < CLASSES; c++) row[c] = o === 'both' ? 0.11 : 0.05
    if (o === 'right') row[label] = 0.55
    else if (o === 'top1') {
      for (let k = 1; k <= 3; k++) row[(label + k) % CLASSES] = 0.2
      row[label] = 0.1 // rank 3: in the top 5
    } else row[label] = 0.01 // rank 9
  }
  return {
    classes: Array.from({length: CLASSES}, (_, c) => `c${c}`),
    ids: Array.from({length: N}, (_, i) => ids(i)),
    labels,
    data,
    n: N,
    technique: 'dense',
    scales: [256],
    checkpoints: [],
    skipped: [],
  }
}

/** An ok row whose numbers are those of its file (as the runner's combine job makes them). */
async function row(id: string, p: Posteriors, file = path.join(dir, `${id}.posteriors`)): Promise<RowResult> {
  await writePosteriors(file, p)
  const e = perImageErrors(p)
  const count = (a: Uint8Array) => a.reduce((s, x) => s + x, 0)
  const [e1, e5] = [count(e.top1), count(e.top5)]
  return {
    table: 'table3',
    id,
    label: id,
    paper: {top1: 30, top5: 10},
    status: 'ok',
    reproduced: {top1Err: (100 * e1) / N, top5Err: (100 * e5) / N, top1Ci: wilsonPercent(e1, N), top5Ci: wilsonPercent(e5, N), n: N, skipped: 0},
    nets: [id],
    jobs: [],
    posteriors: file,
  }
}

/** Reference wrong (top-1 and top-5) on `[0, refWrong)`; subject wrong on `[from, to)`. */
const range = (lo: number, hi: number) => (i: number): Outcome => (i >= lo && i < hi ? 'both' : 'right')

function claim(subject: string, reference: string, expect: 'lower' | 'not-lower', primary: Claim['primary'] = 'top1'): Claim {
  return {
    id: 'c',
    text: 'test claim',
    section: '4.1',
    primary,
    margin: {relative: 0.02},
    comparisons: [{subject: `table3/${subject}`, reference: `table3/${reference}`, expect}],
    source: {file: 'test', line: 1},
  }
}

async function judge(rows: RowResult[], c: Claim) {
  const perImage = await loadPerImageErrors(rows, [c.comparisons[0].subject, c.comparisons[0].reference])
  return {paired: evaluateClaim(c, rows, {perImage}), unpaired: evaluateClaim(c, rows)}
}

// Reference: 300 errors (30%). Subject: right on 35 of them, wrong on 15 others: 28%, a
// 2-point improvement that is consistent image by image (35 vs 15 discordant images).
const ref = () => row('ref', posteriors(range(0, 300)))
const better = () => row('better', posteriors((i) => (i >= 35 && i < 315 ? 'both' : 'right')))

test('a consistent 2-point paired improvement on 1000 images holds though the unpaired intervals overlap', async () => {
  const rows = [await ref(), await better()]
  const [r, s] = rows
  // the two Wilson intervals overlap: the unpaired rule cannot tell
  assert.ok(s.reproduced!.top1Ci[1] > r.reproduced!.top1Ci[0])
  const {paired, unpaired} = await judge(rows, claim('better', 'ref', 'lower'))
  assert.equal(unpaired.verdict, 'within noise')
  assert.equal(unpaired.checks[0].rule, 'unpaired')
  const c = paired.checks[0]
  assert.equal(paired.verdict, 'holds')
  assert.equal(c.rule, 'paired')
  assert.ok(Math.abs(c.d! - 2) < 1e-9)
  assert.deepEqual(c.n, [N, N])
  assert.deepEqual(c.discordant, {better: 35, worse: 15})
  assert.ok(c.ci![0] > 0 && c.ci![1] > c.d!, `CI ${c.ci}`)
  assert.ok(c.noise! < unpaired.checks[0].noise! / 2)
  const md = claimsMarkdown([paired])
  assert.match(md, /\+2\.00 \[\+0\.6\d, \+3\.3\d\]/)
  assert.match(md, /\| 1000 \| paired \(35 vs 15\) \| paper's way \|/)
})

test('the same errors on the same images: within noise', async () => {
  const rows = [await ref(), await row('same', posteriors(range(0, 300)))]
  const {paired} = await judge(rows, claim('same', 'ref', 'lower'))
  assert.equal(paired.checks[0].rule, 'paired')
  assert.deepEqual(paired.checks[0].ci, [0, 0])
  assert.equal(paired.verdict, 'within noise')
  // equal error rates but different images wrong (15 vs 15): still within noise
  const shuffled = [await ref(), await row('swap', posteriors((i) => (i >= 15 && i < 315 ? 'both' : 'right')))]
  const swap = (await judge(shuffled, claim('swap', 'ref', 'lower'))).paired.checks[0]
  assert.equal(swap.d, 0)
  assert.equal(swap.verdict, 'within noise')
})

test('reversed (the subject is consistently worse): fails', async () => {
  const rows = [await ref(), await better()]
  const {paired, unpaired} = await judge(rows, claim('ref', 'better', 'lower'))
  assert.equal(paired.verdict, 'fails')
  assert.ok(paired.checks[0].ci![1] < 0)
  assert.equal(unpaired.verdict, 'within noise')
})

test('a missing file, different images or a file that is not the row\'s own: unpaired fallback', async () => {
  const missing = {...(await better()), posteriors: path.join(dir, 'nowhere.posteriors')}
  let r = (await judge([await ref(), missing], claim('better', 'ref', 'lower'))).paired
  assert.equal(r.checks[0].rule, 'unpaired')
  assert.equal(r.checks[0].unpairedReason, 'table3/better: posterior file missing')
  assert.equal(r.verdict, 'within noise') // the independent-CI rule's verdict
  assert.match(claimsMarkdown([r]), /unpaired \(table3\/better: posterior file missing\)/)

  const noFile: RowResult = {...(await better())}
  delete noFile.posteriors
  r = (await judge([await ref(), noFile], claim('better', 'ref', 'lower'))).paired
  assert.equal(r.checks[0].unpairedReason, 'table3/better: no posterior file recorded')

  const other = await row('other', posteriors((i) => (i >= 35 && i < 315 ? 'both' : 'right'), (i) => `val/other/img${i}.JPEG`))
  r = (await judge([await ref(), other], claim('other', 'ref', 'lower'))).paired
  assert.equal(r.checks[0].rule, 'unpaired')
  assert.match(r.checks[0].unpairedReason!, /image lists differ/)

  // a file whose errors are not the row's numbers must not judge the row
  const stale = {...(await better()), reproduced: {...(await better()).reproduced!, top1Err: 27}}
  r = (await judge([await ref(), stale], claim('better', 'ref', 'lower'))).paired
  assert.equal(r.checks[0].unpairedReason, "table3/better: posterior file does not match the row's errors")
})

test("not-lower ('LRN does not help'): judged against the equivalence margin (2% of the reference's 30% error = 0.6 points)", async () => {
  const reference = await ref()
  // 2 points better, CI [+0.6, +3.4]: an improvement beyond the margin, the claim fails
  const clear = (await judge([reference, await better()], claim('better', 'ref', 'not-lower'))).paired
  assert.equal(clear.verdict, 'fails')
  assert.ok(Math.abs(clear.checks[0].margin! - 0.6) < 1e-9)
  assert.ok(Math.abs(clear.checks[0].effect! - (0.6 - 2)) < 1e-9)
  // 1 point better, 20 vs 10 discordant images: it may or may not exceed 0.6: within noise
  const slight = await row('slight', posteriors((i) => (i >= 20 && i < 310 ? 'both' : 'right')))
  const s = (await judge([reference, slight], claim('slight', 'ref', 'not-lower'))).paired
  assert.ok(s.checks[0].effectCi![0] < 0 && s.checks[0].effectCi![1] > 0)
  assert.equal(s.verdict, 'within noise')
  // 2 points worse: any improvement is excluded: holds; identical errors: 0 < 0.6 exactly: holds
  assert.equal((await judge([reference, await better()], claim('ref', 'better', 'not-lower'))).paired.verdict, 'holds')
  const same = await row('same2', posteriors(range(0, 300)))
  assert.equal((await judge([reference, same], claim('same2', 'ref', 'not-lower'))).paired.verdict, 'holds')
})

test('top-5 is judged on its own per-image errors', async () => {
  // subject: the 300 reference errors become top-1-only errors (true class 4th): top-1 equal, top-5 much better
  const top5Only = await row('top5', posteriors((i) => (i < 300 ? 'top1' : 'right')))
  const r = (await judge([await ref(), top5Only], claim('top5', 'ref', 'lower'))).paired
  assert.deepEqual(r.checks.map((c) => [c.metric, c.primary, c.verdict]), [['top1', true, 'within noise'], ['top5', false, 'holds']])
  assert.ok(Math.abs(r.checks[1].d! - 30) < 1e-9)
  assert.equal(r.verdict, 'within noise', 'top-5 is shown, it does not vote')
  assert.equal((await judge([await ref(), top5Only], claim('top5', 'ref', 'lower', 'top5'))).paired.verdict, 'holds')
})

test('paired difference: mean ± 1.96 sd/√n of the per-image differences', () => {
  const s = new Uint8Array(N)
  const r = new Uint8Array(N)
  for (let i = 0; i < 35; i++) r[i] = 1 // only the subject right
  for (let i = 100; i < 115; i++) s[i] = 1 // only the reference right
  for (let i = 200; i < 400; i++) s[i] = r[i] = 1 // both wrong
  const p = pairedDifference(s, r)
  const d = Array.from(s, (x, i) => r[i] - x)
  const mean = d.reduce((a, b) => a + b, 0) / N
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1))
  assert.ok(Math.abs(p.d - 100 * mean) < 1e-9)
  assert.ok(Math.abs(p.ci[0] - 100 * (mean - (1.959963984540054 * sd) / Math.sqrt(N))) < 1e-9)
  assert.ok(Math.abs(p.ci[1] - 100 * (mean + (1.959963984540054 * sd) / Math.sqrt(N))) < 1e-9)
  assert.deepEqual([p.better, p.worse, p.n], [35, 15, N])
})

test("host ranks match the eval module's backend ranks (ties: lower class index first; NaN)", async () => {
  await initBackend('cpu')
  const rows = 200
  const k = 7
  let seed = 12345
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const data = new Float32Array(rows * k)
  // few levels, so ties are common; some NaN scores, some on the true class
  for (let i = 0; i < data.length; i++) data[i] = rand() < 0.05 ? NaN : Math.floor(rand() * 4) / 4
  const labels = Int32Array.from({length: rows}, () => Math.floor(rand() * k))
  const backend = ranksOf(data, labels, k)
  for (let i = 0; i < rows; i++) assert.equal(trueClassRank(data.subarray(i * k, (i + 1) * k), labels[i]), backend[i], `row ${i}`)
  assert.equal(tf.memory().numTensors, 0)
})
