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

test('a lock naming a live process that is not the vgg-repro run which wrote it (pid reused) is taken over', {skip: !existsSync('/proc/self/stat') && 'needs /proc'}, async () => {
  const dir = tempRunDir()
  const file = path.join(dir, '.lock')
  // An old-style lock (pid only) whose pid is now some other program's.
  const other = spawn('sleep', ['30'], {stdio: 'ignore'})
  // A node process whose start time differs from the one the lock recorded.
  const node = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {stdio: 'ignore'})
  try {
    for (const content of [`${other.pid}\n`, `${node.pid}\n12345\nvgg-repro\n`]) {
      writeFileSync(file, content)
      const lock = acquireLock(dir)
      assert.equal(readFileSync(lock.file, 'utf8').split('\n')[0], String(process.pid))
      lock.release()
      assert.equal(existsSync(file), false)
    }
    // A real run holding the lock is still refused.
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e',
      `import(${JSON.stringify(new URL('../../src/runner/lock.ts', import.meta.url).href)}).then(({acquireLock}) => { acquireLock(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 30000) })`], {stdio: ['ignore', 'pipe', 'inherit']})
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()))
      assert.throws(() => acquireLock(dir), (e: unknown) => e instanceof LockError && e.message.includes(`(pid ${holder.pid})`))
    } finally {
      holder.kill()
    }
  } finally {
    other.kill()
    node.kill()
  }
})
