// One run per runs/<profile> at a time: a .lock file holding the owner's pid. A
// lock whose pid is gone (crash, kill -9) is stale and taken over.
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {displayPath} from '../experiments/paths.js'

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
      writeFileSync(file, `${process.pid}\n`, {flag: 'wx'})
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.off('exit', release)
        // Only remove our own lock (a takeover may have replaced it).
        if (readFileSafe(file).trim() === String(process.pid)) rmSync(file, {force: true})
      }
      process.on('exit', release)
      return {file, release}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const pid = Number.parseInt(readFileSafe(file), 10)
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new LockError(`another vgg-repro run (pid ${pid}) is using ${displayPath(runDir)}; wait for it or stop it (the lock is ${displayPath(file)})`)
    }
    // Stale (dead owner, our own pid from a crashed earlier run, or garbage): take it over.
    rmSync(file, {force: true})
  }
  throw new LockError(`could not take the lock ${displayPath(file)}`)
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
