// Job times measured by earlier runs of a profile and committed with their reports
// (results/<name>[-seeds<k>][-val<n>]/provenance.json), for calibrating `plan`'s
// estimates where the runs folder holds no finished job (a fresh clone, another
// machine's cache). A job is matched by its key only: the same inputs (data, recipe,
// epochs, val images, precision), so the same work.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {resultsRoot} from './paths.js'

export interface MeasuredTimes {
  byKey: Map<string, number>
  /** the files read, relative to the results folder */
  sources: string[]
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

export function measuredTimes(name: string, root = resultsRoot()): MeasuredTimes {
  const out: MeasuredTimes = {byKey: new Map(), sources: []}
  for (const dir of resultsFoldersOf(name, root)) {
    const file = path.join(dir, 'provenance.json')
    let p: ProvenanceFile
    try {
      p = JSON.parse(readFileSync(file, 'utf8')) as ProvenanceFile
    } catch {
      continue
    }
    if (!Array.isArray(p.jobs)) continue
    let used = false
    for (const j of p.jobs) {
      if (typeof j.wallMs !== 'number' || !(j.wallMs > 0)) continue
      if (typeof j.key === 'string' && !out.byKey.has(j.key)) out.byKey.set(j.key, j.wallMs)
      used = true
    }
    if (used) out.sources.push(path.relative(root, file).split(path.sep).join('/'))
  }
  return out
}
