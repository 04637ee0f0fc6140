// The commit a report was made from, for its provenance header. "-dirty" marks local
// changes (the numbers may not come from the committed code); "unknown" outside git.
import {execFileSync} from 'node:child_process'

export function gitCommit(cwd: string): string {
  const git = (...args: string[]) => execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  try {
    const head = git('rev-parse', '--short=12', 'HEAD')
    // Only tracked files count: results/ and caches being new is the normal case.
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== ''
    return dirty ? `${head}-dirty` : head
  } catch {
    return 'unknown'
  }
}
