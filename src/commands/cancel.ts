import {Command} from '@oclif/core'
import {loadProfile} from '../experiments/profile.js'
import {runDirOf} from '../runner/paths.js'
import {slurmCli} from '../runner/slurm/cli.js'
import {cancelRun} from '../runner/slurm/cancel.js'
import {failIfUserError} from '../cli/errors.js'
import {profileOf, tableFlags} from '../cli/table-command.js'

export default class Cancel extends Command {
  static description = `Cancel every queued or running Slurm job of a profile's last --executor slurm run.
One scancel, the report job included. Finished jobs keep their results; a training job
checkpoints on the way out (SIGTERM), and the next submission resumes it.`

  static examples = ['<%= config.bin %> cancel', '<%= config.bin %> cancel --profile paper']
  static enableJsonFlag = true
  static flags = {profile: tableFlags.profile, subset: tableFlags.subset}

  async run(): Promise<{cancelled: string[]}> {
    const {flags} = await this.parse(Cancel)
    try {
      const profile = loadProfile(profileOf(flags))
      const cancelled = await cancelRun(runDirOf(profile.name), slurmCli())
      this.log(cancelled.length === 0 ? 'no queued or running jobs to cancel' : `cancelled ${cancelled.length} Slurm jobs: ${cancelled.join(' ')}`)
      return {cancelled}
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
