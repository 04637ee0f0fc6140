// Scale profiles (experiments/profiles/<name>.yaml): the same protocol at paper,
// subset or smoke size. Paper-scale S and Q are mapped by crop / 224.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {ExperimentFileError} from './errors.js'
import {experimentsDir} from './paths.js'
import {readProfileSource} from './profile-extends.js'
import {profileSchema} from './schema.js'
import type {Profile} from './types.js'
import {validateYaml} from './yaml-source.js'

export const PAPER_CROP = 224

/** Profile names shipped in experiments/profiles. */
export function listProfiles(dir = path.join(experimentsDir(), 'profiles')): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort()
}

/** Resolve a profile name ('subset') or a path to a YAML file. */
export function profilePath(nameOrPath: string, dir = path.join(experimentsDir(), 'profiles')): string {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes(path.sep) || /\.ya?ml$/.test(nameOrPath)
  if (looksLikePath) return path.resolve(nameOrPath)
  const file = path.join(dir, `${nameOrPath}.yaml`)
  if (!existsSync(file)) {
    const known = listProfiles(dir)
    throw new ExperimentFileError(`unknown profile "${nameOrPath}": known profiles are ${known.join(', ') || '(none)'} (or pass a path to a .yaml file)`)
  }
  return file
}

/** Load and validate a profile (with its `extends` chain); errors are one `file:line: key: problem` line. */
export function loadProfile(nameOrPath: string, dir?: string): Profile {
  const source = readProfileSource(profilePath(nameOrPath, dir), (name) => profilePath(name, dir))
  const parsed = validateYaml(profileSchema, source)
  return parsed as Profile
}

/** A paper-scale side length (S or Q) at the profile's size: round(s * crop / 224). */
export function scaleToProfile(s: number, profile: Pick<Profile, 'crop'>): number {
  return Math.round((s * profile.crop) / PAPER_CROP)
}
