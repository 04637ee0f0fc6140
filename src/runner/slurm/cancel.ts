// `vgg-repro cancel`: one scancel for every live job of the last submission.
import type {SlurmCli} from './cli.js'
import {SlurmError} from './cli.js'
import {manifestJobIds, manifestPath, readManifest} from './manifest.js'
import {isActive} from './states.js'

export async function cancelRun(runDir: string, cli: SlurmCli): Promise<string[]> {
  const manifest = readManifest(runDir)
  if (manifest === undefined) throw new SlurmError(`no Slurm submission recorded in ${manifestPath(runDir)}`)
  const ids = manifestJobIds(manifest)
  const states = await cli.states(ids)
  const live = ids.filter((id) => isActive(states.get(id)))
  if (live.length > 0) await cli.cancel(live)
  return live
}
