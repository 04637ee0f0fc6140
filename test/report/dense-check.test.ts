// The dense vs multi-crop protocol check pairs Table 5's rows per net and flags gaps
// beyond the limit, in summary.md and table5.md.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {DENSE_GAP_LIMIT, denseCheckMarkdown, denseGaps} from '../../src/report/dense-check.js'
import {summaryMarkdown} from '../../src/report/summary-markdown.js'
import {tableReportMarkdown} from '../../src/report/table-report.js'
import {rowsOfTable} from '../../src/report/row-result.js'
import {ok, paperRows, PROVENANCE} from './fixtures.js'

const errors: Record<string, number> = {'D-dense': 36.2, 'D-multi-crop': 32.7, 'D-multi-crop+dense': 32.3, 'E-dense': 38.0, 'E-multi-crop': 37.1}

function rows(top1: Record<string, number> = errors) {
  return paperRows((r) => (r.table === 'table5' && top1[r.id] !== undefined ? ok(top1[r.id], 5) : undefined))
}

test('dense gaps: one per net with both rows, signed dense minus multi-crop, checked against the limit', () => {
  const gaps = denseGaps(rows())
  assert.deepEqual(gaps.map((g) => g.net), ['D', 'E'])
  const [d, e] = gaps
  assert.ok(Math.abs(d.gap - 3.5) < 1e-9 && !d.within, 'D: 3.5 points is over the limit')
  assert.ok(Math.abs(e.gap - 0.9) < 1e-9 && e.within)
  assert.ok(Math.abs(d.paperGap - 0.2) < 1e-9, 'the paper: 24.8 dense vs 24.6 multi-crop')
  assert.equal(DENSE_GAP_LIMIT, 3)
  // a net whose multi-crop row has no result yet is left out, not compared with nothing
  assert.deepEqual(denseGaps(rows({'D-dense': 30, 'E-dense': 31, 'E-multi-crop': 30})).map((g) => g.net), ['E'])
  assert.equal(denseCheckMarkdown(rows({'D-dense': 30})), undefined)
})

test('the check is rendered in summary.md and table5.md, naming the nets that disagree', () => {
  const all = rows()
  const md = denseCheckMarkdown(all)!
  assert.match(md, /\| D \| 36\.20 \| 32\.70 \| \+3\.50 \| \+0\.2 \| \*\*no\*\* \|/)
  assert.match(md, /\| E \| 38\.00 \| 37\.10 \| \+0\.90 \| \+0\.2 \| yes \|/)
  assert.match(md, /Dense evaluation of D disagrees with multi-crop by more than 3 points/)
  const agree = denseCheckMarkdown(rows({...errors, 'D-dense': 33.0}))!
  assert.match(agree, /agree within 3 points/)
  const summary = summaryMarkdown({provenance: PROVENANCE, rows: all, claims: [], tableCharts: {}})
  assert.ok(summary.includes('### Protocol check: dense against multi-crop evaluation'))
  const t5 = tableReportMarkdown('table5', rowsOfTable(all, 'table5'), PROVENANCE, [])
  assert.ok(t5.includes('### Protocol check: dense against multi-crop evaluation'))
  const t3 = tableReportMarkdown('table3', rowsOfTable(all, 'table3'), PROVENANCE, [])
  assert.ok(!t3.includes('Protocol check'))
})
