// Job times measured by earlier runs of a profile and committed with their reports
// (results/<name>[-seeds<k>][-val<n>]/provenance.json), for calibrating `plan`'s
// estimates where the runs folder holds no finished job (a fresh clone, another
// machine's cache). A job is matched by its key only: the same inputs (data, recipe,
// epochs, val images, precision), so the same work, whichever profile's run timed it
// (a variant that `extends` a profile shares the jobs it does not change).
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {resultsRoot} from './paths.js'

export interface MeasuredTimes {
  byKey: Map<string, number>
  /** the file each time came from, relative to the results folder */
  sourceOf: Map<string, string>
}

interface ProvenanceFile {
  jobs?: {key?: unknown; wallMs?: unknown}[]
}

/** The results folders of profile `name`: its own and those of its seed and image variants. */
export function resultsFoldersOf(name: string, root = resultsRoot()): string[] {
  if (!existsSync(root)) return []
  const own = new RegExp(`^${name.replace(/[-]/g, '\\-')}(-seeds\\d+)?(-val\\d+)?$`)
  return readdirSync(root)
    .filter((d) => own.test(d))
    .sort()
    .map((d) => path.join(root, d))
}

/** Every results folder: the profile's own first (their times win), then the others by name. */
function calibrationFoldersOf(name: string, root: string): string[] {
  const own = resultsFoldersOf(name, root)
  if (!existsSync(root)) return own
  const others = readdirSync(root, {withFileTypes: true})
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .filter((d) => !own.includes(d))
    .sort()
  return [...own, ...others]
}

export function measuredTimes(name: string, root = resultsRoot()): MeasuredTimes {
  const out: MeasuredTimes = {byKey: new Map(), sourceOf: new Map()}
  for (const dir of calibrationFoldersOf(name, root)) {
    const file = path.join(dir, 'provenance.json')
    let p: ProvenanceFile
    try {
      p = JSON.parse(readFileSync(file, 'utf8')) as ProvenanceFile
    } catch {
      continue
    }
    if (!Array.isArray(p.jobs)) continue
    const source = path.relative(root, file).split(path.sep).join('/')
    for (const j of p.jobs) {
      if (typeof j.wallMs !== 'number' || !(j.wallMs > 0) || typeof j.key !== 'string' || out.byKey.has(j.key)) continue
      out.byKey.set(j.key, j.wallMs)
      out.sourceOf.set(j.key, source)
    }
  }
  return out
}
