import assert from 'node:assert/strict'
import {it} from 'node:test'
import {abortOnSigint} from '../../src/cli/interrupt.js'

it('the first SIGINT aborts the signal (checkpoint and return), the handler is removable', () => {
  const before = process.listenerCount('SIGINT')
  let notified = 0
  const s = abortOnSigint(() => notified++)
  assert.equal(process.listenerCount('SIGINT'), before + 1)
  assert.equal(s.signal.aborted, false)
  process.emit('SIGINT')
  assert.equal(s.signal.aborted, true)
  assert.equal(notified, 1)
  s.dispose()
  assert.equal(process.listenerCount('SIGINT'), before)
})
