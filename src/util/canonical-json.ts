// Canonical JSON: object keys sorted and undefined fields dropped, so equal values
// give equal text and equal hashes whatever their key order. Job cache keys
// (runner/cache-key.ts) and a checkpoint's inputs identity (train/inputs-hash.ts)
// are hashes of it: changing its output reruns every cached job.
import {createHash} from 'node:crypto'

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** 16 hex digits of sha256 over the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)
}
