// The provenance commit: a short hash, marked when tracked files have local changes.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {gitCommit} from '../../src/runner/git-commit.js'

test('gitCommit names the checkout, and "unknown" outside git', () => {
  assert.match(gitCommit(), /^[0-9a-f]{7,}( \(with local changes\))?$/)
  assert.equal(gitCommit('/'), 'unknown')
})
