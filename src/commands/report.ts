import {Command, Flags} from '@oclif/core'
import {displayPath} from '../experiments/paths.js'
import {parseTableName} from '../experiments/tables.js'
import {TABLE_NAMES, type RowResult} from '../experiments/types.js'
import {renderTerminal} from '../report/index.js'
import {loadProfile} from '../experiments/profile.js'
import {runDirOf} from '../runner/paths.js'
import {reportFromCache} from '../runner/run-tables.js'
import {slurmCli} from '../runner/slurm/cli.js'
import {noteSlurmFailures} from '../runner/slurm/status.js'
import {failIfUserError} from '../cli/errors.js'
import {profileOf, tableFlags} from '../cli/table-command.js'

export default class Report extends Command {
  static description = `Re-render results/<profile>/ (Markdown, CSV, charts, claims) from the cached job
results, without training or evaluating anything. Rows whose jobs never ran show as pending.`

  static examples = ['<%= config.bin %> report', '<%= config.bin %> report --profile smoke --json']
  static enableJsonFlag = true
  static flags = {
    tables: Flags.string({description: 'comma-separated tables to print (the reports always cover all four)', default: TABLE_NAMES.join(',')}),
    profile: tableFlags.profile,
    subset: tableFlags.subset,
    data: Flags.string({description: 'dataset root (default: the one of the last run of this profile)'}),
    precision: Flags.string({description: "which cached results to render, fp32 or bf16 (default: the last run's precision)"}),
    seeds: Flags.integer({description: 'render the results of the run with k seeds per net (results/<profile>-seeds<k>/)'}),
    'val-images': Flags.integer({description: 'render the results of the run that scored n val images'}),
  }

  async run(): Promise<{rows: RowResult[]; reports: string[]; resultsDir: string}> {
    const {flags} = await this.parse(Report)
    try {
      const tables = flags.tables.split(',').map((t) => parseTableName(t.trim()))
      const profile = profileOf(flags)
      // After an --executor slurm run: jobs Slurm killed (time limit, memory) count as failed.
      await noteSlurmFailures(runDirOf(loadProfile(profile).name), slurmCli())
      const r = await reportFromCache({profile, data: flags.data, tables, precision: flags.precision, seeds: flags.seeds, valImages: flags['val-images']})
      this.log(renderTerminal(r.rows))
      this.log(`Reports in ${displayPath(r.resultsDir)}/ (${r.reports.length} files)`)
      return r
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
