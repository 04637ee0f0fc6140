// The commit a report was made from, for its provenance header: the short hash, with
// "(with local changes)" when tracked files differ from it (results/ and caches being
// new is the normal case), "unknown" outside git.
import {execFileSync} from 'node:child_process'
import {projectRoot} from '../experiments/paths.js'

export function gitCommit(cwd: string = projectRoot()): string {
  const git = (...args: string[]) => execFileSync('git', args, {cwd, stdio: ['ignore', 'pipe', 'ignore']}).toString().trim()
  try {
    const hash = git('rev-parse', '--short', 'HEAD')
    const dirty = git('status', '--porcelain', '--untracked-files=no')
    return dirty === '' ? hash : `${hash} (with local changes)`
  } catch {
    return 'unknown'
  }
}
