// Training images the data stream had to leave out (corrupt, truncated, not an
// image) are named once each, so a dropped file never goes unnoticed.
import {displayPath} from '../experiments/paths.js'

export class SkippedImagesLog {
  private readonly named = new Set<string>()

  constructor(private readonly warn: (line: string) => void) {}

  /** Name the images of `skipped` not named before. */
  update(skipped: readonly {path: string; reason: string}[]): void {
    for (const s of skipped) {
      if (this.named.has(s.path)) continue
      this.named.add(s.path)
      this.warn(`skipped unreadable training image ${displayPath(s.path)}: ${s.reason}`)
    }
  }
}
