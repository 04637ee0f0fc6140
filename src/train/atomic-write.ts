// Crash-safe file replacement: write a temp file in the target's directory, fsync
// it, rename it over the target, fsync the directory. A kill at any moment leaves
// either the old file or the new one, never a torn one; a stray temp file is
// ignored by readers and removed by the next writer.
import {existsSync, promises as fsp} from 'node:fs'
import path from 'node:path'
import {randomBytes} from 'node:crypto'

const TEMP_MARK = '.tmp-'

/** Raised when the disk (or quota) is full; the previous file is untouched. */
export class DiskFullError extends Error {
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    const kept = existsSync(target) ? `the previous ${path.basename(target)} is intact` : 'nothing was written'
    super(`disk full while writing ${target} (${codeOf(cause)}); ${kept}. Free space in ${path.dirname(target)} and run the same command again to resume.`)
    this.name = 'DiskFullError'
  }
}

export interface AtomicWriteOptions {
  /** replaces the low-level write (tests use it to simulate a full disk) */
  write?: (fh: fsp.FileHandle, chunk: Uint8Array) => Promise<void>
}

/** Is `name` a temp file left by writeFileAtomic for `target`'s base name? */
export function isTempFileOf(name: string, target: string): boolean {
  return name.startsWith(path.basename(target) + TEMP_MARK)
}

/** Replace `target` atomically with the concatenation of `chunks`. */
export async function writeFileAtomic(target: string, chunks: Iterable<Uint8Array>, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target)
  const temp = path.join(dir, `${path.basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`)
  const write = opts.write ?? writeAll
  let fh: fsp.FileHandle | undefined
  try {
    fh = await fsp.open(temp, 'w')
    for (const chunk of chunks) await write(fh, chunk)
    await fh.sync()
    await fh.close()
    fh = undefined
    await fsp.rename(temp, target)
  } catch (error) {
    await fh?.close().catch(() => undefined)
    await fsp.rm(temp, {force: true}).catch(() => undefined)
    if (codeOf(error) === 'ENOSPC' || codeOf(error) === 'EDQUOT') throw new DiskFullError(target, error)
    throw error
  }
  await syncDir(dir)
}

/** Remove temp files a killed writer left next to `target`. */
export async function removeStaleTemps(target: string): Promise<void> {
  const dir = path.dirname(target)
  let names: string[]
  try {
    names = await fsp.readdir(dir)
  } catch {
    return
  }
  for (const name of names) {
    if (isTempFileOf(name, target)) await fsp.rm(path.join(dir, name), {force: true}).catch(() => undefined)
  }
}

async function writeAll(fh: fsp.FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0
  while (off < chunk.byteLength) {
    const {bytesWritten} = await fh.write(chunk, off, chunk.byteLength - off)
    off += bytesWritten
  }
}

// The rename is durable only once the directory entry is flushed.
async function syncDir(dir: string): Promise<void> {
  let dh: fsp.FileHandle | undefined
  try {
    dh = await fsp.open(dir, 'r')
    await dh.sync()
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await dh?.close().catch(() => undefined)
  }
}

function codeOf(error: unknown): string {
  return (error as {code?: string} | null)?.code ?? String(error)
}
