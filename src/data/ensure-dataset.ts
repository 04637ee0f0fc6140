// Resolve a --data value to a dataset folder: a path is validated and used as is; a
// known name is looked up in the cache and downloaded there (atomically) if missing.
import {mkdir, mkdtemp, readdir, rename, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {defaultCacheDir} from './cache-dir.js'
import {downloadFile, type DownloadOptions, type ExpectedFile} from './download.js'
import {DataError, oneLine} from './errors.js'
import {extractTgz} from './extract-tgz.js'

export interface KnownDataset {
  /** folder name under <cache>/datasets/ (the archive's top folder) */
  folder: string
  /** archive file name, appended to baseUrl */
  archive: string
  baseUrl: string
  expected: ExpectedFile
}

// Address from fast.ai's imagenette README; size and first-MiB md5 from fastai's own
// fastai/data/checks.txt. Full-archive integrity is left to gzip's CRC during extraction.
export const KNOWN_DATASETS: Record<string, KnownDataset> = {
  imagenette: {
    folder: 'imagenette2-320',
    archive: 'imagenette2-320.tgz',
    baseUrl: 'https://s3.amazonaws.com/fast-ai-imageclas/',
    expected: {size: 341663724, md5First1MiB: '1f1f74f133caff120e575856659b87a2'},
  },
}

export const DEFAULT_DATASET = 'imagenette'

export interface EnsureDatasetOptions {
  /** replaces the known dataset's base URL (tests, mirrors) */
  baseUrl?: string
  /** replaces the known dataset's expected size/checksums */
  expected?: ExpectedFile
  /** progress bar on stderr (default: when stderr is a terminal) */
  progress?: boolean
  /** one-line status messages (default: none) */
  log?: (line: string) => void
  /** stall timeout and retries of the download (tests) */
  download?: Pick<DownloadOptions, 'stallMs' | 'attempts' | 'retryDelayMs'>
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false)
}

async function hasSplits(dir: string): Promise<boolean> {
  return (await isDir(path.join(dir, 'train'))) && (await isDir(path.join(dir, 'val')))
}

/** Folder of the dataset (absolute), downloading a known dataset into cacheDir/datasets/ if needed. */
export async function ensureDataset(
  nameOrPath: string = DEFAULT_DATASET,
  cacheDir: string = defaultCacheDir(),
  opts: EnsureDatasetOptions = {},
): Promise<string> {
  const known = Object.hasOwn(KNOWN_DATASETS, nameOrPath) ? KNOWN_DATASETS[nameOrPath] : undefined
  if (known === undefined) return checkPath(nameOrPath)
  const datasetsDir = path.join(path.resolve(cacheDir), 'datasets')
  const final = path.join(datasetsDir, known.folder)
  if (await hasSplits(final)) return final
  if (await isDir(final)) {
    throw new DataError(`${final} exists but has no train/ and val/ folders: remove it to download ${nameOrPath} again, or pass --data DIR`)
  }
  const url = (opts.baseUrl ? opts.baseUrl.replace(/\/*$/, '/') : known.baseUrl) + known.archive
  await mkdir(datasetsDir, {recursive: true})
  // Work inside the cache folder so the final rename stays on one filesystem (atomic).
  const work = await mkdtemp(path.join(datasetsDir, `.${known.folder}-`))
  try {
    const archive = path.join(work, known.archive)
    opts.log?.(`downloading ${url}`)
    try {
      await downloadFile(url, archive, {expected: opts.expected ?? known.expected, progress: opts.progress, log: opts.log, ...opts.download})
    } catch (e) {
      const why = oneLine(e instanceof Error ? errorText(e) : String(e))
      throw new DataError(`cannot download ${nameOrPath} from ${url} (${why}): put the extracted ${known.folder}/ folder (with train/ and val/) at ${final}, or pass --data DIR`)
    }
    const out = path.join(work, 'x')
    await mkdir(out)
    opts.log?.(`extracting ${known.archive}`)
    await extractTgz(archive, out).catch((e: Error) => {
      throw new DataError(`cannot extract ${url}: ${e.message}`)
    })
    const root = await findRoot(out)
    if (root === undefined) throw new DataError(`archive ${url} has no train/ and val/ folders`)
    try {
      await rename(root, final)
    } catch (e) {
      // Another process may have finished the same download first.
      if (!(await hasSplits(final))) throw e
    }
    return final
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}

/** fetch() hides the network reason (ENOTFOUND, ECONNREFUSED) in error.cause. */
function errorText(e: Error): string {
  const cause = (e as {cause?: unknown}).cause
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message
}

/** The extracted folder holding train/ and val/: the extraction dir or its single top folder. */
async function findRoot(dir: string): Promise<string | undefined> {
  if (await hasSplits(dir)) return dir
  const entries = (await readdir(dir)).filter((n) => !n.startsWith('.'))
  if (entries.length === 1 && (await hasSplits(path.join(dir, entries[0])))) return path.join(dir, entries[0])
  return undefined
}

async function checkPath(p: string): Promise<string> {
  const abs = path.resolve(p)
  if (!(await isDir(abs))) {
    const names = Object.keys(KNOWN_DATASETS).join(', ')
    throw new DataError(`dataset folder not found: ${abs} (pass --data DIR with train/<class>/ and val/<class>/ folders, or a known name: ${names})`)
  }
  if (!(await hasSplits(abs))) {
    throw new DataError(`not an ImageFolder: ${abs} needs train/ and val/ folders (expected train/<class>/*.jpg and val/<class>/*.jpg)`)
  }
  return abs
}
