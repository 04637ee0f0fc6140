// A local run must not run jobs that Slurm jobs of the same runs folder are
// running or about to run: refuse while the last submission has live jobs.
import {loadProfile} from '../../experiments/profile.js'
import {LockError} from '../lock.js'
import {runDirOf} from '../paths.js'
import {SlurmError, slurmCli, type SlurmCli} from './cli.js'
import {manifestPath, readManifest} from './manifest.js'
import {isRunActive, runStatus} from './status.js'

export async function refuseIfSlurmRunActive(profileName: string, cli: SlurmCli = slurmCli()): Promise<void> {
  const runDir = runDirOf(loadProfile(profileName).name)
  if (readManifest(runDir) === undefined) return
  let active = false
  try {
    const status = await runStatus(runDir, cli)
    active = status !== undefined && isRunActive(status)
  } catch (error) {
    // No Slurm here (e.g. the runs folder was copied off the cluster): nothing can be running.
    if (!(error instanceof SlurmError)) throw error
  }
  if (active) {
    throw new LockError(`Slurm jobs of this profile are queued or running (${manifestPath(runDir)}): wait for them (vgg-repro status) or cancel them (vgg-repro cancel) before a local run`)
  }
}
