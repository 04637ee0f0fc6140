// Content keys of jobs: a hash of everything that determines a job's output, so a
// finished job is reused exactly when nothing it depends on changed.
import {canonicalHash} from '../util/canonical-json.js'

/**
 * Bump when the training/evaluation recipe changes in a way the inputs do not
 * show (e.g. a fix in the augmentation): every cached job then reruns.
 */
export const RECIPE_VERSION = 1

/** 16 hex digits of sha256 over the stable JSON of the inputs and the recipe version. */
export function jobKey(inputs: object): string {
  return canonicalHash({recipe: RECIPE_VERSION, ...inputs})
}
