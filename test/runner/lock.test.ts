import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {acquireLock, LockError} from '../../src/runner/lock.js'

const tempRunDir = () => mkdtempSync(path.join(os.tmpdir(), 'vgg-lock-'))

test('a lock held by a live process is refused with one clear line', async () => {
  const dir = tempRunDir()
  const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {stdio: 'ignore'})
  try {
    writeFileSync(path.join(dir, '.lock'), `${owner.pid}\n`)
    assert.throws(
      () => acquireLock(dir),
      (e: unknown) => e instanceof LockError && e.message.startsWith(`another vgg-repro run (pid ${owner.pid}) is using `) && !e.message.includes('\n'),
    )
  } finally {
    owner.kill()
  }
})

test('a stale lock (dead pid) is taken over, and release removes it', () => {
  const dir = tempRunDir()
  const dead = spawnSync(process.execPath, ['-e', 'process.pid'])
  assert.equal(dead.status, 0)
  writeFileSync(path.join(dir, '.lock'), `${dead.pid}\n`)
  const lock = acquireLock(dir)
  assert.equal(readFileSync(lock.file, 'utf8').split('\n')[0], String(process.pid))
  lock.release()
  assert.equal(existsSync(lock.file), false)
  // and it can be taken again
  acquireLock(dir).release()
})

test('the lock folder is created when missing', () => {
  const dir = path.join(tempRunDir(), 'runs', 'smoke')
  const lock = acquireLock(dir)
  assert.ok(existsSync(lock.file))
  lock.release()
  mkdirSync(dir, {recursive: true})
})
