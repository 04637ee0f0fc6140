// Markdown and CSV: exactly one row per paper row, with the published numbers, and the
// signed difference reproduced - paper.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {TableName} from '../../src/experiments/types.js'
import {tableCsv, tableMarkdown} from '../../src/report/index.js'
import {rowsOfTable} from '../../src/report/row-result.js'
import {ok, paperRows, parseCsv, PUBLISHED} from './fixtures.js'

const TABLES = Object.keys(PUBLISHED) as TableName[]

/** Body lines of the first Markdown table in `md`. */
function mdBody(md: string): string[] {
  const lines = md.split('\n')
  const sep = lines.findIndex((l) => /^\|(\s*-+:?\s*\|)+$/.test(l) || /^\|(-+:?\|)+$/.test(l))
  const body: string[] = []
  for (let i = sep + 1; i < lines.length && lines[i].startsWith('|'); i++) body.push(lines[i])
  return body
}

test('CSV has one row per paper row with the published numbers', () => {
  const rows = paperRows()
  for (const t of TABLES) {
    const csv = parseCsv(tableCsv(rowsOfTable(rows, t)))
    assert.equal(csv.length, PUBLISHED[t].length, t)
    csv.forEach((rec, i) => {
      const [top1, top5, top5Test] = PUBLISHED[t][i]
      assert.equal(rec.table, t)
      assert.equal(Number(rec.paper_top1), top1, `${t} row ${i} top-1`)
      assert.equal(Number(rec.paper_top5), top5, `${t} row ${i} top-5`)
      assert.equal(rec.paper_top5_test, top5Test === undefined ? '' : String(top5Test), `${t} row ${i} top-5 test`)
      assert.equal(rec.status, 'pending')
      assert.equal(rec.top1_err, '')
    })
  }
})

test('Markdown has one row per paper row with the published numbers', () => {
  const rows = paperRows()
  for (const t of TABLES) {
    const body = mdBody(tableMarkdown(rowsOfTable(rows, t)))
    assert.equal(body.length, PUBLISHED[t].length, t)
    body.forEach((line, i) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim())
      const [top1, top5, top5Test] = PUBLISHED[t][i]
      assert.ok(cells.includes(top1.toFixed(1)), `${t} row ${i}: ${line}`)
      assert.ok(cells.includes(top5.toFixed(1)), `${t} row ${i}: ${line}`)
      if (top5Test !== undefined) assert.ok(cells.includes(top5Test.toFixed(1)), `${t} row ${i}: ${line}`)
      assert.ok(cells.includes('pending'))
    })
  }
})

test('signed difference is reproduced minus paper', () => {
  // Table 3 row 0 is A (paper 29.6 / 10.4): worse by 1.4 top-1, better by 0.4 top-5.
  const rows = paperRows((r, i) => (r.table === 'table3' && i === 0 ? ok(31.0, 10.0) : undefined))
  const t3 = rowsOfTable(rows, 'table3')
  const rec = parseCsv(tableCsv(t3))[0]
  assert.equal(Number(rec.top1_diff), 1.4)
  assert.equal(Number(rec.top5_diff), -0.4)
  assert.equal(Number(rec.top1_ci_lo), 29.6)
  assert.equal(rec.status, 'ok')
  const line = mdBody(tableMarkdown(t3))[0]
  assert.match(line, /\| \+1\.40 \|/)
  assert.match(line, /\| -0\.40 \|/)
  assert.match(line, /31\.00 \[29\.60, 32\.40\]/)
})

test('failed rows show the error in the status, on one line and escaped', () => {
  const rows = paperRows((r, i) => (r.table === 'table5' && i === 1 ? {status: 'failed', error: 'train D-jit: disk full |\nENOSPC'} : undefined))
  const t5 = rowsOfTable(rows, 'table5')
  assert.equal(parseCsv(tableCsv(t5))[1].status, 'failed: train D-jit: disk full | ENOSPC')
  assert.match(mdBody(tableMarkdown(t5))[1], /failed: train D-jit: disk full \\\| ENOSPC \|$/)
})

test('settings columns come from the row labels', () => {
  const rows = paperRows()
  const t3 = parseCsv(tableCsv(rowsOfTable(rows, 'table3')))
  const jit = t3.find((r) => r.id === 'D-jit')
  assert.ok(jit)
  assert.deepEqual([jit.config, jit.train_scale, jit.test_scales, jit.method], ['D', '[256;512]', '384', 'dense'])
  const t6 = parseCsv(tableCsv(rowsOfTable(rows, 'table6')))
  const de = t6.find((r) => r.id === 'DE-multi-crop+dense')
  assert.ok(de)
  assert.deepEqual([de.config, de.members, de.method], ['', 'D/[256;512] + E/[256;512]', 'multi-crop & dense'])
})
