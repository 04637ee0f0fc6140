// The provenance commit: a short hash, marked dirty with local changes.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {gitCommit} from '../../src/report/index.js'

test('gitCommit names the checkout, and "unknown" outside git', () => {
  assert.match(gitCommit(process.cwd()), /^[0-9a-f]{12}(-dirty)?$/)
  assert.equal(gitCommit('/'), 'unknown')
})
