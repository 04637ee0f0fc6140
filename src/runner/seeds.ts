// Seeds per net (profile `seeds`, `--seeds`): how many times every trained net of the
// graph exists, and where the reports of a run with k seeds go. The runs folder is
// the profile's whatever k is, so a run with more seeds reuses the nets of one with
// fewer; the reports of k >= 2 go to results/<profile>-seeds<k>/, so results/<profile>/
// stays the one-seed report.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {ExperimentFileError} from '../experiments/errors.js'
import {MAX_SEEDS_PER_NET} from '../experiments/schema.js'
import type {Profile} from '../experiments/types.js'
import type {JobNode} from './jobs.js'

/** Seeds per net of a profile (1 unless it or --seeds says otherwise). */
export function seedsOf(profile: Pick<Profile, 'seeds'>): number {
  return profile.seeds ?? 1
}

/** What a run asks for on top of its profile: seeds per net and scored val images. */
export interface RunDesign {
  seeds?: number
  /** val images scored (class-balanced), replacing the profile's maxValImages */
  valImages?: number
}

/** The profile with the design's overrides; a bad value is one line. */
export function applyDesign(profile: Profile, design: RunDesign = {}): Profile {
  const {seeds, valImages} = design
  if (seeds !== undefined && !(Number.isInteger(seeds) && seeds >= 1 && seeds <= MAX_SEEDS_PER_NET)) {
    throw new ExperimentFileError(`--seeds ${seeds}: expected a whole number from 1 to ${MAX_SEEDS_PER_NET}`)
  }
  if (valImages !== undefined && !(Number.isInteger(valImages) && valImages >= 2)) throw new ExperimentFileError(`--val-images ${valImages}: expected a whole number of at least 2`)
  return {...profile, ...(seeds !== undefined ? {seeds} : {}), ...(valImages !== undefined ? {maxValImages: valImages} : {})}
}

/**
 * The results folder's name: the profile's, then "-seeds<k>" for k >= 2 and
 * "-val<n>" when the scored images differ from the profile's own cap.
 */
export function resultsNameOf(base: Profile, design: RunDesign = {}): string {
  const k = design.seeds ?? seedsOf(base)
  const n = design.valImages
  return `${base.name}${k > 1 ? `-seeds${k}` : ''}${n !== undefined && n !== base.maxValImages ? `-val${n}` : ''}`
}

/** The 1-based seed index of a job: its net's (an evaluation's net, a combination's first member's). */
export function seedIndexOf(node: JobNode, nodes: ReadonlyMap<string, JobNode>, baseSeed: number): number {
  if (node.kind === 'train') return node.seed - baseSeed + 1
  const first = node.kind === 'eval' ? node.train : node.groups[0]?.[0]
  const parent = first === undefined ? undefined : nodes.get(first)
  return parent === undefined ? 1 : seedIndexOf(parent, nodes, baseSeed)
}

/**
 * A results folder named like a design of this profile may already hold another
 * profile's reports (the ablation profile `subset-seeds8` and `--subset --seeds 8`
 * would share results/subset-seeds8/): refused in one line rather than overwritten.
 */
export function checkResultsOwner(resultsDir: string, profileName: string): void {
  let owner: unknown
  try {
    owner = (JSON.parse(readFileSync(path.join(resultsDir, 'provenance.json'), 'utf8')) as {profile?: unknown}).profile
  } catch {
    return
  }
  if (typeof owner === 'string' && owner !== profileName) {
    throw new ExperimentFileError(`${resultsDir} holds the reports of profile ${owner}, not ${profileName}: choose another number of seeds, or set VGG_REPRO_RESULTS to another folder`)
  }
}

/** The design as command-line flags (a Slurm report job renders the same design's reports). */
export function designArgs(design: RunDesign): string[] {
  return [...(design.seeds !== undefined ? ['--seeds', String(design.seeds)] : []), ...(design.valImages !== undefined ? ['--val-images', String(design.valImages)] : [])]
}
