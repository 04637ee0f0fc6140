// `extends:` in a profile: start from another profile and replace some of its keys,
// so a variant (three times the epochs, eight seeds of A) states only what differs and
// follows its base when the base changes. Deliberately shallow: each top-level key the
// file sets replaces the base's whole value (a partial `lr:` would otherwise mix two
// schedules' keys). The merged profile is validated as strictly as any other, and a
// problem is reported at the file and line that hold the offending key.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {displayPath} from './paths.js'
import {readYamlFile, type YamlPath, type YamlSource} from './yaml-source.js'

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/**
 * The profile file's source with its `extends` chain applied. `resolveName` maps a
 * profile name (no "/" and no .yaml) to its file; a path is relative to the file
 * that names it.
 */
export function readProfileSource(file: string, resolveName: (name: string) => string, chain: readonly string[] = []): YamlSource {
  const own = readYamlFile(file)
  if (!isRecord(own.data) || !('extends' in own.data)) return own
  const ref = own.data.extends
  if (typeof ref !== 'string' || ref.trim() === '') throw own.error([], 'expected a profile name or a path to a .yaml file', 'extends')
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || /\.ya?ml$/.test(ref)
  let baseFile: string
  try {
    baseFile = looksLikePath ? path.resolve(path.dirname(file), ref) : resolveName(ref)
  } catch (error) {
    throw own.error([], error instanceof Error ? error.message : String(error), 'extends')
  }
  if (!existsSync(baseFile)) throw own.error([], `no profile file ${displayPath(baseFile)}`, 'extends')
  const seen = [...chain, path.resolve(file)]
  if (seen.includes(path.resolve(baseFile))) throw own.error([], `extends ${displayPath(baseFile)}, which extends back to this file`, 'extends')
  // Inheriting the name would make the variant write into its base's runs and results.
  if (!('name' in own.data)) throw own.error([], 'missing (required): a profile that extends another needs its own name (it names the runs and results folders)')
  const base = readProfileSource(baseFile, resolveName, seen)
  const {extends: _ignored, ...keys} = own.data
  return layered(base, own, {...(isRecord(base.data) ? base.data : {}), ...keys})
}

/** One source over the merged data; positions and errors come from the file whose key it is. */
function layered(base: YamlSource, own: YamlSource, data: Record<string, unknown>): YamlSource {
  const keysOf = (s: YamlSource) => new Set(isRecord(s.data) ? Object.keys(s.data) : [])
  const [ownKeys, baseKeys] = [keysOf(own), keysOf(base)]
  // A path's first element is its top-level key (an unknown top-level key arrives as
  // `key` on the empty path); what neither file sets (a missing key) is this file's.
  const owner = (p: YamlPath, key?: string): YamlSource => {
    const top = p.length > 0 ? p[0] : key
    return typeof top === 'string' && !ownKeys.has(top) && baseKeys.has(top) ? base : own
  }
  return {
    file: own.file,
    shown: own.shown,
    data,
    lineOf: (p, key) => owner(p, key).lineOf(p, key),
    error: (p, problem, key) => owner(p, key).error(p, problem, key),
  }
}
