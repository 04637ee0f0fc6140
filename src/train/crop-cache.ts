// Validation runs after every epoch on the same images: keep their centre crops
// in memory up to a byte budget instead of decoding them again each time.

/** Default budget: small-profile val sets fit; a full-size one falls back to decoding. */
export const DEFAULT_CROP_CACHE_BYTES = 512 * 1024 * 1024

export class CropCache {
  private readonly crops = new Map<string, Float32Array>()
  private bytes = 0

  constructor(private readonly budgetBytes = DEFAULT_CROP_CACHE_BYTES) {}

  get(key: string): Float32Array | undefined {
    return this.crops.get(key)
  }

  /** Keeps the crop if the budget allows; first come, first kept (no eviction churn). */
  set(key: string, crop: Float32Array): void {
    if (this.crops.has(key) || this.bytes + crop.byteLength > this.budgetBytes) return
    this.crops.set(key, crop)
    this.bytes += crop.byteLength
  }

  clear(): void {
    this.crops.clear()
    this.bytes = 0
  }
}
