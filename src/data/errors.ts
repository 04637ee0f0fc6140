// Error types of the data layer. Messages are one line so the CLI can print them as is.

/** A dataset problem the user must fix (layout, missing folder, failed download). */
export class DataError extends Error {
  constructor(message: string) {
    super(oneLine(message))
    this.name = 'DataError'
  }
}

/** An image file that cannot be decoded (truncated, corrupt, not an image). */
export class CorruptImageError extends Error {
  readonly path: string
  readonly reason: string
  constructor(path: string, reason: string) {
    const r = oneLine(reason)
    super(`corrupt image ${path}: ${r}`)
    this.name = 'CorruptImageError'
    this.path = path
    this.reason = r
  }
}

/** Collapse whitespace: libvips errors span several lines. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}
