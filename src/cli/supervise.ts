// Native-crash recovery for the long commands (all, table3-6, train, run-job). A rare
// heap corruption in the native libraries (docs/reliability.md, "Known limits") can kill
// a process by a signal, or hang it while its threads are torn down after the work is
// done. Finished jobs are cached and training checkpoints every epoch, so the command
// runs in a child process: a child that dies by a crash signal is started again (it
// resumes), and a child that said it finished but does not exit is ended.
import {spawn} from 'node:child_process'
import {realpathSync} from 'node:fs'
import {constants} from 'node:os'
import path from 'node:path'
import {projectRoot} from '../experiments/paths.js'
import {envValue, type EnvName} from '../util/env.js'
import {EXIT_CODES} from './exit-codes.js'

/** Set in the child's environment: the command does its work there. */
export const SUPERVISED_ENV: EnvName = 'VGG_REPRO_SUPERVISED'

/** Signals of a native crash (V8's fatal errors abort; corrupted heaps segfault or abort). */
const CRASH_SIGNALS = new Set<string>(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP'])

/**
 * An error raised inside TensorFlow's kernels or session, never by bad input: seen once
 * in CI's Slurm test as oneDNN's "could not execute a primitive" in max pooling at a
 * job's first step, which the same job then ran through in a new process.
 */
export function isNativeFault(message: string | undefined): boolean {
  return message !== undefined && TF_INTERNAL_ERROR.test(message)
}

/** scripts/native-fault.mjs's TF_INTERNAL_ERROR (that file is outside rootDir; a test keeps them equal). */
export const TF_INTERNAL_ERROR = /could not execute a primitive|Compute received an exception|Session fail to run with error|does not match declared output type|mkl_[a-z_]+\.cc/i

export interface SuperviseOptions {
  command: string
  args: string[]
  /** starts after a crash (VGG_REPRO_CRASH_RETRIES, default 2) */
  retries: number
  /** how long a child may take to exit after announcing it finished */
  exitGraceMs: number
  log(line: string): void
}

interface ChildEnd {
  code: number
  signal?: NodeJS.Signals
  /** the exit code the child announced before its teardown, if it got that far */
  finished?: number
}

function signalCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/** What went wrong natively (for the log), or undefined when the child ended otherwise. */
function nativeFaultOf(end: ChildEnd): string | undefined {
  if (end.signal !== undefined) return CRASH_SIGNALS.has(end.signal) ? `died by ${end.signal}` : undefined
  return end.code === EXIT_CODES.nativeFault ? 'failed inside TensorFlow' : undefined
}

/** Run the command in a child until it ends other than by a native fault; returns the exit code to use. */
export async function supervise(o: SuperviseOptions): Promise<number> {
  let stopping = false
  let current: ReturnType<typeof spawn> | undefined
  // SIGTERM/SIGHUP may reach only this process (kill PID): pass them on. A terminal's
  // Ctrl-C reaches the whole process group, child included, so SIGINT is not passed on
  // (twice would make the child quit without its checkpoint).
  const passOn = (signal: NodeJS.Signals) => {
    stopping = true
    current?.kill(signal)
  }
  const onInt = () => (stopping = true)
  process.on('SIGTERM', passOn)
  process.on('SIGHUP', passOn)
  process.on('SIGINT', onInt)
  try {
    for (let start = 1; ; start++) {
      const end = await runChild(o, (c) => (current = c))
      if (end.finished !== undefined && end.signal !== undefined) {
        o.log(`the finished process ${end.signal === 'SIGKILL' ? `did not exit within ${o.exitGraceMs / 1000} s (a hang in native teardown) and was ended` : `died by ${end.signal} on its way out`}; its work is saved`)
        return end.finished
      }
      const fault = nativeFaultOf(end)
      const code = end.signal === undefined ? end.code : signalCode(end.signal)
      if (fault === undefined || stopping) return code
      if (start > o.retries) {
        o.log(`the process ${fault} (a native fault, see docs/reliability.md) on start ${start}; giving up. Finished work is kept: the same command resumes it`)
        return code
      }
      o.log(`the process ${fault} (a native fault, see docs/reliability.md); starting it again (${start + 1} of ${o.retries + 1}): finished jobs are kept and training resumes from its last checkpoint`)
    }
  } finally {
    process.off('SIGTERM', passOn)
    process.off('SIGHUP', passOn)
    process.off('SIGINT', onInt)
  }
}

function runChild(o: SuperviseOptions, started: (c: ReturnType<typeof spawn>) => void): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.command, o.args, {stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: {...process.env, [SUPERVISED_ENV]: '1'}})
    started(child)
    let finished: number | undefined
    let timer: NodeJS.Timeout | undefined
    child.on('message', (m: unknown) => {
      const code = (m as {finished?: unknown} | null)?.finished
      if (typeof code !== 'number' || finished !== undefined) return
      finished = code
      timer = setTimeout(() => child.kill('SIGKILL'), o.exitGraceMs)
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({code: code ?? 0, signal: signal ?? undefined, finished})
    })
  })
}

/**
 * Called first by a long command. In a supervisor (a plain `vgg-repro` process) this
 * runs the same command line as a supervised child and exits with its code: it never
 * returns. In the child, or where supervising is off (VGG_REPRO_CRASH_RETRIES=0, or not
 * started through bin/run.js, as in tests), it returns and the caller does the work.
 */
export async function runSupervised(): Promise<void> {
  if (envValue(SUPERVISED_ENV) !== undefined) {
    watchParent()
    return
  }
  const setting = envValue('VGG_REPRO_CRASH_RETRIES') ?? '2'
  if (!/^\d+$/.test(setting)) {
    process.stderr.write(`vgg-repro: VGG_REPRO_CRASH_RETRIES must be a whole number >= 0 (0: no restarts), got "${setting}"\n`)
    process.exit(EXIT_CODES.userError)
  }
  const retries = Number(setting)
  if (retries === 0 || !startedByBin()) return
  const code = await supervise({
    command: process.execPath,
    args: [...process.execArgv, ...process.argv.slice(1)],
    retries,
    exitGraceMs: 120_000,
    log: (line) => process.stderr.write(`vgg-repro: WARNING: ${line}\n`),
  })
  process.exit(code)
}

/** This process is the CLI itself: bin/run.js, also through npx's or npm link's symlinks (not a test runner). */
export function startedByBin(entry = process.argv[1] ?? ''): boolean {
  try {
    return realpathSync(entry) === path.join(projectRoot(), 'bin', 'run.js')
  } catch {
    return false
  }
}

/** A child whose supervisor is gone (killed with -9) ends too, as the one process used to. */
function watchParent(): void {
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL')
  }, 500).unref()
}

/** Tell the supervisor the work is done and saved (exit code to use), before the teardown. */
export function announceFinished(code: number): void {
  if (envValue(SUPERVISED_ENV) !== undefined && process.send !== undefined) process.send({finished: code})
}
