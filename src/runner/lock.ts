// One run per runs/<profile> at a time: a .lock file holding the owner's pid and,
// on Linux, its start time. A lock whose pid is gone (crash, kill -9), or now names
// another process (the pid was reused, e.g. after a reboot), is stale and taken over.
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {displayPath} from '../experiments/paths.js'
import {processStartTime, looksLikeNode} from './process-identity.js'

export class LockError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LockError'
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface Lock {
  file: string
  release(): void
}

/** Take runDir/.lock or throw LockError naming the live owner. */
export function acquireLock(runDir: string): Lock {
  mkdirSync(runDir, {recursive: true})
  const file = path.join(runDir, '.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Line 1 stays the bare pid (what older versions read).
      writeFileSync(file, `${process.pid}\n${processStartTime(process.pid) ?? ''}\nvgg-repro\n`, {flag: 'wx'})
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.off('exit', release)
        // Only remove our own lock (a takeover may have replaced it).
        if (readFileSafe(file).split('\n')[0].trim() === String(process.pid)) rmSync(file, {force: true})
      }
      process.on('exit', release)
      return {file, release}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const [first, second] = readFileSafe(file).split('\n')
    const pid = Number.parseInt(first, 10)
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) && sameProcess(pid, second?.trim() || undefined)) {
      throw new LockError(`another vgg-repro run (pid ${pid}) is using ${displayPath(runDir)}; wait for it or stop it (the lock is ${displayPath(file)})`)
    }
    // Stale (dead owner, our own pid from a crashed earlier run, or garbage): take it over.
    rmSync(file, {force: true})
  }
  throw new LockError(`could not take the lock ${displayPath(file)}`)
}

/**
 * Is the live `pid` still the process that wrote the lock? By start time when the
 * lock recorded one; for a lock of an older version (pid only), a node process is
 * presumed to be it. Where /proc cannot tell (not Linux), yes.
 */
function sameProcess(pid: number, recordedStart: string | undefined): boolean {
  const start = processStartTime(pid)
  if (start === undefined) return true
  if (recordedStart !== undefined) return start === recordedStart
  return looksLikeNode(pid) ?? true
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
