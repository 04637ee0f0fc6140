// Where the declarative experiment files live: <project>/experiments, found from
// this module's location (src/experiments or dist/experiments, two levels down).
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {envValue} from '../util/env.js'

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** `VGG_REPRO_EXPERIMENTS` overrides the folder (tests, custom tables). */
export function experimentsDir(): string {
  return envValue('VGG_REPRO_EXPERIMENTS') ?? path.join(PROJECT_ROOT, 'experiments')
}

export function projectRoot(): string {
  return PROJECT_ROOT
}

/** A path as users should read it in messages: relative to cwd when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file
}
