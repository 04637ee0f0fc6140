import {Command, Flags} from '@oclif/core'
import {parseTableName} from '../experiments/tables.js'
import {TABLE_NAMES} from '../experiments/types.js'
import type {Plan} from '../runner/plan.js'
import {failIfUserError} from '../cli/errors.js'
import {profileOf, tableFlags} from '../cli/table-command.js'
import {formatPlan, planTables} from '../runner/run-tables.js'

export default class PlanCommand extends Command {
  static description = `Print the job graph of the requested tables with each job's estimated cost
(FLOPs, and time from a convolution measured on this machine), its cache status and the total
against the profile's time budget. Trains nothing, downloads nothing.`

  static examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --profile paper --data /data/ILSVRC2012', '<%= config.bin %> plan --tables table5,table6 --json']
  static enableJsonFlag = true
  static flags = {
    tables: Flags.string({description: 'comma-separated tables', default: TABLE_NAMES.join(',')}),
    profile: tableFlags.profile,
    subset: tableFlags.subset,
    data: tableFlags.data,
    backend: tableFlags.backend,
    precision: tableFlags.precision,
  }

  async run(): Promise<Plan> {
    const {flags} = await this.parse(PlanCommand)
    try {
      const tables = flags.tables.split(',').map((t) => parseTableName(t.trim()))
      const plan = await planTables({tables, profile: profileOf(flags), data: flags.data, backend: flags.backend, precision: flags.precision})
      this.log(formatPlan(plan))
      return plan
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
