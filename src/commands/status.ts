import {Command} from '@oclif/core'
import {loadProfile} from '../experiments/profile.js'
import {runDirOf} from '../runner/paths.js'
import {slurmCli} from '../runner/slurm/cli.js'
import {formatStatus, runStatus, type RunStatus} from '../runner/slurm/status.js'
import {failIfUserError} from '../cli/errors.js'
import {profileOf, tableFlags} from '../cli/table-command.js'

export default class Status extends Command {
  static description = `Show the Slurm state and result of every job of a profile's last --executor slurm run.
Per job: its Slurm job id and state (with squeue's reason, e.g. Dependency,
DependencyNeverSatisfied) and its result on disk (done, failed with the error, cached). Jobs
Slurm ended without a result (time limit, out of memory, a crash) are recorded as failed, so
\`report\` shows them.`

  static examples = ['<%= config.bin %> status', '<%= config.bin %> status --profile paper --json']
  static enableJsonFlag = true
  static flags = {profile: tableFlags.profile, subset: tableFlags.subset}

  async run(): Promise<RunStatus | {submitted: false}> {
    const {flags} = await this.parse(Status)
    try {
      const profile = loadProfile(profileOf(flags))
      const status = await runStatus(runDirOf(profile.name), slurmCli())
      if (status === undefined) {
        this.log(`no Slurm submission recorded for profile ${profile.name} (run \`vgg-repro all --executor slurm\`)`)
        return {submitted: false}
      }
      this.log(formatStatus(status))
      return status
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
