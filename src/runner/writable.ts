// Folders a run writes to (runs, results, the temp folder) are checked before any
// work, so a read-only or missing one is one line naming it and the variable to
// set, not a raw ENOENT/EROFS from deep inside a job hours later.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A folder the tool must write to is missing, read-only or not a folder. */
export class FolderAccessError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FolderAccessError'
  }
}

/** "EROFS: read-only file system" from a Node fs error, else its message. */
export function errnoText(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (typeof e?.code === 'string') {
    const reason = (e.message ?? '').replace(/^[A-Z]+: /, '').split(',')[0].trim()
    return `${e.code}: ${reason}`
  }
  return error instanceof Error ? error.message.split('\n')[0] : String(error)
}

/** Create `dir` if needed and write (then remove) a probe file in it. */
export function checkWritable(dir: string, what: string, fix: string): void {
  const probe = path.join(dir, `.vgg-repro-write-test-${process.pid}`)
  try {
    mkdirSync(dir, {recursive: true})
    writeFileSync(probe, '')
    rmSync(probe, {force: true})
  } catch (error) {
    throw new FolderAccessError(`cannot write to ${what} ${dir} (${errnoText(error)}): ${fix}`)
  }
}

/** The temp folder (TMPDIR): the native backend loads each training graph from a file there. */
export function checkTempDir(): void {
  checkWritable(os.tmpdir(), 'the temp folder', 'set TMPDIR to a writable folder')
}
