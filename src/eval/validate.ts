// Input checks that must fail early with one clear line each.
import {EvalInputError} from './errors.js'
import {SINGLE_TECHNIQUES, type SingleTechnique} from './types.js'

export const COMBINED_TECHNIQUES = ['dense', 'multi-crop', 'multi-crop+dense'] as const
export type CombinedTechnique = (typeof COMBINED_TECHNIQUES)[number]

export function checkSingleTechnique(t: string): SingleTechnique {
  if ((SINGLE_TECHNIQUES as readonly string[]).includes(t)) return t as SingleTechnique
  throw new EvalInputError(`unknown technique "${t}": valid techniques are ${SINGLE_TECHNIQUES.join(', ')}`)
}

export function checkTechnique(t: string): CombinedTechnique {
  if ((COMBINED_TECHNIQUES as readonly string[]).includes(t)) return t as CombinedTechnique
  throw new EvalInputError(`unknown technique "${t}": valid techniques are ${COMBINED_TECHNIQUES.join(', ')}`)
}

/** Single techniques a (possibly combined) technique is averaged from. */
export function techniqueParts(t: CombinedTechnique): SingleTechnique[] {
  return t === 'multi-crop+dense' ? ['multi-crop', 'dense'] : [t]
}

/** Q must be an integer >= crop: dense needs the whole net's receptive field, multi-crop needs room for a crop. */
export function checkScale(q: number, crop: number): number {
  if (!Number.isInteger(q) || q <= 0) throw new EvalInputError(`test scale Q=${q} is not a positive integer`)
  if (q < crop) throw new EvalInputError(`test scale Q=${q} is smaller than the crop size ${crop}`)
  return q
}

export function checkScales(qs: number[], crop: number): number[] {
  if (qs.length === 0) throw new EvalInputError('empty test scale set: give at least one Q (e.g. --scales 256,384,512)')
  for (const q of qs) checkScale(q, crop)
  return qs
}

/** Parse "256,384,512" into numbers; empty or non-numeric items are errors. */
export function parseScaleList(text: string): number[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (items.length === 0) throw new EvalInputError(`empty test scale set "${text}": give at least one Q (e.g. --scales 256,384,512)`)
  return items.map((s) => {
    const q = Number(s)
    if (!Number.isFinite(q) || q <= 0) throw new EvalInputError(`test scale "${s}" in "${text}" is not a positive number`)
    return q
  })
}
