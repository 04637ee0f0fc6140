// Where runs (checkpoints, posteriors, job cache) and reports go. Every folder
// derived from a name is checked to stay under its root.
import path from 'node:path'
import {ExperimentFileError} from '../experiments/errors.js'
import {projectRoot} from '../experiments/paths.js'
import {envValue} from '../util/env.js'

/** runs/ (git-ignored), or $VGG_REPRO_RUNS. */
export function runsRoot(): string {
  return path.resolve(envValue('VGG_REPRO_RUNS') ?? path.join(projectRoot(), 'runs'))
}

/** results/ (committed reports), or $VGG_REPRO_RESULTS. */
export function resultsRoot(): string {
  return path.resolve(envValue('VGG_REPRO_RESULTS') ?? path.join(projectRoot(), 'results'))
}

/** Is `p` strictly inside `root` (after resolving "..")? */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p))
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** root/parts..., refused when it would land outside root (a name like "../x"). */
export function joinUnder(root: string, ...parts: string[]): string {
  const p = path.resolve(root, ...parts)
  if (!isInside(root, p)) {
    throw new ExperimentFileError(`"${parts.join('/')}" would put files outside ${root}: names may only hold lower-case letters, digits and "-"`)
  }
  return p
}

export function runDirOf(profile: string): string {
  return joinUnder(runsRoot(), profile)
}

/** results/<profile>/ (committed reports), or $VGG_REPRO_RESULTS/<profile>. */
export function resultsDirOf(profile: string): string {
  return joinUnder(resultsRoot(), profile)
}

/** Where a combine job writes the row's averaged posteriors (inside its job folder). */
export function combinedPosteriorsPath(jobDir: string): string {
  return path.join(jobDir, 'combined.posteriors')
}
