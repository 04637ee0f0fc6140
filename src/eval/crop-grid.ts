// Multi-crop positions (paper 3.2): a 5x5 regular grid of crop x crop windows over
// the rescaled image, offsets evenly spaced from 0 to size-crop with both ends
// included (rounded to whole pixels), each crop also flipped: 50 crops per scale.

export const GRID = 5

/** `steps` evenly spaced integer offsets in [0, size - crop], both ends included. */
export function gridOffsets(size: number, crop: number, steps = GRID): number[] {
  if (crop > size) throw new RangeError(`crop ${crop} does not fit in ${size}`)
  const span = size - crop
  if (steps === 1) return [Math.round(span / 2)]
  return Array.from({length: steps}, (_, i) => Math.round((i * span) / (steps - 1)))
}

export interface CropPosition {
  /** top row */
  y: number
  /** left column */
  x: number
  /** horizontally flipped crop */
  flip: boolean
}

/**
 * All 2 * steps^2 crops of an H x W image in the order the crop tensor holds them:
 * flip-major (unflipped first), then row of the grid, then column.
 */
export function multiCropPositions(height: number, width: number, crop: number, steps = GRID): CropPosition[] {
  const ys = gridOffsets(height, crop, steps)
  const xs = gridOffsets(width, crop, steps)
  const out: CropPosition[] = []
  for (const flip of [false, true]) for (const y of ys) for (const x of xs) out.push({y, x, flip})
  return out
}
