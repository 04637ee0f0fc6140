// Where runs (checkpoints, posteriors, job cache) and reports go.
import path from 'node:path'
import {projectRoot} from '../experiments/paths.js'

/** runs/ (git-ignored), or $VGG_REPRO_RUNS. */
export function runsRoot(): string {
  return path.resolve(process.env.VGG_REPRO_RUNS ?? path.join(projectRoot(), 'runs'))
}

export function runDirOf(profile: string): string {
  return path.join(runsRoot(), profile)
}

/** results/<profile>/ (committed reports), or $VGG_REPRO_RESULTS/<profile>. */
export function resultsDirOf(profile: string): string {
  return path.join(path.resolve(process.env.VGG_REPRO_RESULTS ?? path.join(projectRoot(), 'results')), profile)
}

/** Where a combine job writes the row's averaged posteriors (inside its job folder). */
export function combinedPosteriorsPath(jobDir: string): string {
  return path.join(jobDir, 'combined.posteriors')
}
