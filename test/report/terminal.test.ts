// Terminal table: every row once, plain text (no colour escapes in logs).
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {renderTerminal} from '../../src/report/index.js'
import {ok, paperRows} from './fixtures.js'

test('renderTerminal lists every row with paper and reproduced numbers', () => {
  const rows = paperRows((r, i) => (r.table === 'table3' && i === 0 ? ok(31, 11) : undefined))
  const out = renderTerminal(rows)
  assert.ok(!out.includes('\x1b['), 'no ANSI escapes')
  for (const r of rows) assert.ok(out.includes(r.id), r.id)
  assert.match(out, /31\.00 \[29\.6,32\.4\]/)
  assert.match(out, /\+1\.40/)
  const dataLines = out.split('\n').filter((l) => /^│ table\d/.test(l))
  assert.equal(dataLines.length, rows.length)
})
