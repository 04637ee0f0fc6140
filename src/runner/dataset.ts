// Resolve the dataset of a run (--data, else the profile's default) to its folder,
// index and identity. `plan` never downloads: without the data it uses the nominal
// size of the named dataset and says so.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {defaultCacheDir} from '../data/cache-dir.js'
import {DataError} from '../data/errors.js'
import {ensureDataset, KNOWN_DATASETS} from '../data/ensure-dataset.js'
import {indexImageFolder, requireTwoClasses} from '../data/image-folder.js'
import {projectRoot} from '../experiments/paths.js'
import type {Profile} from '../experiments/types.js'
import type {DatasetInfo} from './jobs.js'

/** Image counts of datasets profiles name, for estimates before the data is here. */
const NOMINAL: Record<string, {train: number; val: number}> = {
  imagenet: {train: 1_281_167, val: 50_000},
  imagenette: {train: 9_469, val: 3_925},
}

export interface ResolveOptions {
  /** show a download progress bar / status lines */
  log?: (line: string) => void
  progress?: boolean
}

function isKnownName(name: string): boolean {
  return Object.hasOwn(KNOWN_DATASETS, name)
}

/**
 * How committed reports name the dataset folder: relative to the project when inside
 * it, else by the folder's name alone (with the id beside it, that identifies the
 * data without recording one machine's absolute path).
 */
export function portableDatasetPath(root: string): string {
  const rel = path.relative(projectRoot(), root)
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
  return inside ? rel.split(path.sep).join('/') : path.basename(root)
}

/** The folder, index identity and counts; downloads a known dataset when missing. */
export async function resolveDataset(profile: Profile, data: string | undefined, opts: ResolveOptions = {}): Promise<DatasetInfo> {
  const wanted = data ?? profile.dataset
  if (data === undefined && !isKnownName(wanted) && !existsSync(wanted)) {
    throw new DataError(
      `the ${profile.name} profile's dataset "${wanted}" is not a folder here and cannot be downloaded: pass --data DIR (an ImageFolder: train/<class>/*, val/<class>/*)`,
    )
  }
  const root = await ensureDataset(wanted, defaultCacheDir(), {log: opts.log, progress: opts.progress})
  const index = await indexImageFolder(root)
  requireTwoClasses(index)
  return {root: index.root, id: index.id, numClasses: index.classes.length, trainImages: index.train.length, valImages: index.val.length}
}

/**
 * For `plan`: the dataset if it is already on disk, else a stand-in with nominal
 * counts (its id is "unresolved", so cache status is unknown). Never downloads.
 */
export async function datasetForPlan(profile: Profile, data: string | undefined): Promise<{dataset: DatasetInfo; note?: string}> {
  const wanted = data ?? profile.dataset
  const known = isKnownName(wanted) ? KNOWN_DATASETS[wanted] : undefined
  const local = known ? path.join(defaultCacheDir(), 'datasets', known.folder) : path.resolve(wanted)
  if (existsSync(path.join(local, 'train')) && existsSync(path.join(local, 'val'))) {
    try {
      return {dataset: await resolveDataset(profile, local)}
    } catch (error) {
      if (!(error instanceof DataError)) throw error
    }
  }
  const nominal = NOMINAL[wanted] ?? NOMINAL[profile.dataset] ?? {train: 10_000, val: 1_000}
  return {
    dataset: {root: wanted, id: 'unresolved', numClasses: profile.numClasses, trainImages: nominal.train, valImages: nominal.val},
    note: `dataset "${wanted}" is not on disk: estimates assume ${nominal.train} train / ${nominal.val} val images; cache status unknown`,
  }
}
