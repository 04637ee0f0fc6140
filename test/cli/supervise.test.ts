import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'
import {EXIT_CODES} from '../../src/cli/exit-codes.js'
import {isNativeFault, startedByBin, supervise} from '../../src/cli/supervise.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vgg-supervise-'))
after(() => rmSync(tmp, {recursive: true, force: true}))

/** supervise() over `node -e SCRIPT`, collecting its log lines. */
async function run(script: string, opts: {retries?: number; exitGraceMs?: number} = {}): Promise<{code: number; log: string[]}> {
  const log: string[] = []
  const code = await supervise({
    command: process.execPath,
    args: ['-e', script],
    retries: opts.retries ?? 2,
    exitGraceMs: opts.exitGraceMs ?? 60_000,
    log: (l) => log.push(l),
  })
  return {code, log}
}

// A child that counts its starts in a file and runs `fault` (a statement) on the first `faults` of them.
const counting = (file: string, faults: number, fault: string) => `
  const fs = require('fs'); const n = (fs.existsSync(${JSON.stringify(file)}) ? Number(fs.readFileSync(${JSON.stringify(file)}, 'utf8')) : 0) + 1
  fs.writeFileSync(${JSON.stringify(file)}, String(n))
  if (n <= ${faults}) ${fault}
  else process.exitCode = 0`

// ... that dies by `signal` on the first `crashes` starts.
const crashing = (file: string, crashes: number, signal = 'SIGSEGV') => counting(file, crashes, `process.kill(process.pid, ${JSON.stringify(signal)})`)

describe('supervise: a native crash of the command is started again', () => {
  it('a child that dies by SIGSEGV once is started again and its exit code is the answer', async () => {
    const starts = path.join(tmp, 'once')
    const r = await run(crashing(starts, 1))
    assert.equal(r.code, 0)
    assert.equal(readFileSync(starts, 'utf8'), '2')
    assert.equal(r.log.length, 1)
    assert.match(r.log[0], /died by SIGSEGV .*starting it again \(2 of 3\)/)
  })

  it('gives up after the retries with 128 + the signal number, saying the work is kept', async () => {
    const starts = path.join(tmp, 'always')
    const r = await run(crashing(starts, 99, 'SIGABRT'), {retries: 1})
    assert.equal(r.code, 128 + os.constants.signals.SIGABRT)
    assert.equal(readFileSync(starts, 'utf8'), '2')
    assert.match(r.log.at(-1)!, /died by SIGABRT .*giving up\. Finished work is kept/)
  })

  it('a child that exits 70 (a job failed inside TensorFlow) is started again too', async () => {
    const starts = path.join(tmp, 'fault')
    const r = await run(counting(starts, 1, `process.exit(${EXIT_CODES.nativeFault})`))
    assert.equal(r.code, 0)
    assert.equal(readFileSync(starts, 'utf8'), '2')
    assert.match(r.log[0], /failed inside TensorFlow .*starting it again \(2 of 3\)/)
  })

  it('supervises the CLI started as bin/run.js, also through a symlink (npx, npm link), never a test runner', () => {
    const link = path.join(tmp, 'vgg-repro')
    symlinkSync(path.join(ROOT, 'bin', 'run.js'), link)
    assert.ok(startedByBin(path.join(ROOT, 'bin', 'run.js')))
    assert.ok(startedByBin(link))
    assert.ok(!startedByBin(process.argv[1] ?? ''))
    assert.ok(!startedByBin(path.join(tmp, 'no-such-file')))
  })

  it('a VGG_REPRO_CRASH_RETRIES that is not a whole number is one line and exit 2', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'train', '--config', 'A', '--scale', '256'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, VGG_REPRO_CRASH_RETRIES: 'two'},
    })
    assert.equal(r.status, EXIT_CODES.userError)
    assert.equal(r.stderr, 'vgg-repro: VGG_REPRO_CRASH_RETRIES must be a whole number >= 0 (0: no restarts), got "two"\n')
  })

  it('TensorFlow-internal errors are native faults; input and user errors are not', () => {
    assert.ok(isNativeFault('Session fail to run with error: Compute received an exception:Status:2, message: could not execute a primitive. in file tensorflow/core/kernels/mkl/mkl_maxpooling_op.cc:388'))
    assert.ok(!isNativeFault('training diverged: the loss is NaN at epoch 1'))
    assert.ok(!isNativeFault('/data/x.jpg: corrupt image'))
    assert.ok(!isNativeFault(undefined))
  })

  it('an exit code, or a signal that is not a crash (SIGTERM, SIGKILL), is passed through unrepeated', async () => {
    assert.deepEqual(await run('process.exit(3)'), {code: 3, log: []})
    const starts = path.join(tmp, 'term')
    const r = await run(crashing(starts, 99, 'SIGTERM'))
    assert.equal(r.code, 128 + os.constants.signals.SIGTERM)
    assert.equal(readFileSync(starts, 'utf8'), '1')
    assert.deepEqual(r.log, [])
  })

  it('a child that announced its exit code but hangs in its teardown is ended, and that code stands', async () => {
    const t0 = Date.now()
    const r = await run(`process.send({finished: 4}); setInterval(() => {}, 1000)`, {exitGraceMs: 300})
    assert.equal(r.code, 4)
    assert.ok(Date.now() - t0 < 20_000)
    assert.match(r.log[0], /did not exit within 0\.3 s .*its work is saved/)
  })

  it('a child that announced its exit code and then crashes is not started again', async () => {
    const r = await run(`process.send({finished: 0}, () => process.kill(process.pid, 'SIGSEGV'))`)
    assert.equal(r.code, 0)
    assert.match(r.log[0], /died by SIGSEGV on its way out; its work is saved/)
  })

  it('through bin/run.js: a supervised child ends when its supervisor is killed with -9', async () => {
    // `vgg-repro train` on a missing folder would fail fast; instead run a child that
    // only waits, through runSupervised's child side (VGG_REPRO_SUPERVISED set).
    const pidFile = path.join(tmp, 'child.pid')
    const script = `
      import {runSupervised} from ${JSON.stringify(path.join(ROOT, 'src', 'cli', 'supervise.ts'))}
      import {writeFileSync} from 'node:fs'
      await runSupervised()
      writeFileSync(${JSON.stringify(pidFile)}, String(process.pid))
      setInterval(() => {}, 1000)`
    const parent = spawn(
      process.execPath,
      ['-e', `require('child_process').spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ${JSON.stringify(script)}], {stdio: 'inherit', env: {...process.env, VGG_REPRO_SUPERVISED: '1'}}); setInterval(() => {}, 1000)`],
      {cwd: ROOT, stdio: 'inherit'},
    )
    try {
      for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100))
      const child = Number(readFileSync(pidFile, 'utf8'))
      assert.ok(alive(child))
      parent.kill('SIGKILL')
      for (let i = 0; i < 50 && alive(child); i++) await new Promise((r) => setTimeout(r, 100))
      assert.ok(!alive(child), `child ${child} outlived its killed parent`)
    } finally {
      parent.kill('SIGKILL')
    }
  })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    // a zombie still answers kill 0; its state in /proc says it is gone
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
