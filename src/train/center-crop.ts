// Centre crop of an HWC float image (the single-crop validation view).

export function centerCrop(data: Float32Array, height: number, width: number, crop: number): Float32Array {
  if (height < crop || width < crop) {
    throw new RangeError(`image ${width}x${height} is smaller than the ${crop} crop (validation scale too small)`)
  }
  const top = Math.floor((height - crop) / 2)
  const left = Math.floor((width - crop) / 2)
  const out = new Float32Array(crop * crop * 3)
  for (let y = 0; y < crop; y++) {
    const src = ((top + y) * width + left) * 3
    out.set(data.subarray(src, src + crop * 3), y * crop * 3)
  }
  return out
}
