// A checkpoint that fails its checks (bad magic, truncated, checksum mismatch) is
// moved aside, not deleted (it can still be inspected), and the job that wrote it
// trains again: a deterministic job rebuilds the same file.
import {existsSync, promises as fsp} from 'node:fs'
import {displayPath} from '../experiments/paths.js'
import {CheckpointError, verifyCheckpoint} from './checkpoint.js'

/** Why `file` is unusable after renaming it to <file>.corrupt; undefined when intact or absent. */
export async function setAsideIfCorrupt(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined
  try {
    await verifyCheckpoint(file)
    return undefined
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error
    const aside = `${file}.corrupt`
    await fsp.rename(file, aside)
    return `${error.message.replace(file, displayPath(file))} (moved to ${displayPath(aside)})`
  }
}
