// Crash-safe file replacement, the one way every file of this tool is written
// (checkpoints, posteriors, job records, caches, reports): write a temp file in the
// target's directory, fsync it, rename it over the target, fsync the directory. A
// kill at any moment leaves either the old file or the new one, never a torn one; a
// stray temp file is ignored by readers and removed by the next writer.
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync, promises as fsp} from 'node:fs'
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

function tempFileFor(target: string): string {
  return path.join(path.dirname(target), `${path.basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Replace `target` atomically with the concatenation of `chunks`. */
export async function writeFileAtomic(target: string, chunks: Iterable<Uint8Array>, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target)
  const temp = tempFileFor(target)
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

/** writeFileAtomic for code that cannot await (job records, Slurm files). */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const temp = tempFileFor(target)
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  let fd: number | undefined
  try {
    fd = openSync(temp, 'w')
    for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off, bytes.byteLength - off)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, target)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temp, {force: true})
    if (codeOf(error) === 'ENOSPC' || codeOf(error) === 'EDQUOT') throw new DiskFullError(target, error)
    throw error
  }
  syncDirSync(path.dirname(target))
}

/** Pretty JSON (2-space indent, final newline), written atomically; creates the folder. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fsp.mkdir(path.dirname(file), {recursive: true})
  await writeFileAtomic(file, [Buffer.from(jsonText(value), 'utf8')])
}

export function writeJsonAtomicSync(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileAtomicSync(file, jsonText(value))
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
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

function syncDirSync(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // as in syncDir
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function codeOf(error: unknown): string {
  return (error as {code?: string} | null)?.code ?? String(error)
}
