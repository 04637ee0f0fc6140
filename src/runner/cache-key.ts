// Content keys of jobs: a hash of everything that determines a job's output, so a
// finished job is reused exactly when nothing it depends on changed.
import {createHash} from 'node:crypto'

/**
 * Bump when the training/evaluation recipe changes in a way the inputs do not
 * show (e.g. a fix in the augmentation): every cached job then reruns.
 */
export const RECIPE_VERSION = 1

/** JSON with sorted object keys (stable across key order); undefined fields dropped. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
}

/** 16 hex digits of sha256 over the stable JSON of the inputs and the recipe version. */
export function jobKey(inputs: object): string {
  return createHash('sha256')
    .update(stableJson({recipe: RECIPE_VERSION, ...inputs}))
    .digest('hex')
    .slice(0, 16)
}
