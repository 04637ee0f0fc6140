// The speed-change log (bench/history.yaml): each change and its measured effect,
// kept as data and rendered into results/bench.md.
import {readFileSync} from 'node:fs'
import {parse} from 'yaml'
import {benchScript} from './python.js'

export interface HistoryEntry {
  date: string
  /** what changed, one line */
  change: string
  /** files or settings touched */
  where: string
  /** what was measured (config, metric) */
  metric: string
  before: string
  after: string
  /** kept, reverted, proposed (for someone else's folder) */
  status: 'kept' | 'reverted' | 'proposed' | 'rejected'
  note?: string
}

const KEYS = ['date', 'change', 'where', 'metric', 'before', 'after', 'status', 'note'] as const
const STATUSES = ['kept', 'reverted', 'proposed', 'rejected']

export function historyFile(): string {
  return benchScript('history.yaml')
}

/** Parse and check the history list; errors name the entry and key. */
export function parseHistory(text: string, file = 'history.yaml'): HistoryEntry[] {
  const doc = parse(text) as unknown
  if (doc === null || doc === undefined) return []
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of entries`)
  return doc.map((raw, i) => {
    const where = `${file}: entry ${i + 1}`
    if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: expected a mapping`)
    const e = raw as Record<string, unknown>
    for (const k of Object.keys(e)) if (!(KEYS as readonly string[]).includes(k)) throw new Error(`${where}: unknown key ${k}`)
    for (const k of KEYS) {
      if (k === 'note' && e[k] === undefined) continue
      if (typeof e[k] !== 'string' && typeof e[k] !== 'number') throw new Error(`${where}: ${k} must be a string`)
      e[k] = String(e[k])
    }
    if (!STATUSES.includes(e.status as string)) throw new Error(`${where}: status must be one of ${STATUSES.join(', ')}`)
    return e as unknown as HistoryEntry
  })
}

export function loadHistory(file = historyFile()): HistoryEntry[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return parseHistory(text, file)
}
