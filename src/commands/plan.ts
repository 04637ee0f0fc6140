import {Command, Flags} from '@oclif/core'
import {parseTableName} from '../experiments/tables.js'
import {TABLE_NAMES} from '../experiments/types.js'
import type {Plan} from '../runner/plan.js'
import {failIfUserError} from '../cli/errors.js'
import {profileOf, tableFlags} from '../cli/table-command.js'
import {formatPlan, planTables} from '../runner/run-tables.js'
import {formatBudgetPlan, planBudget, type BudgetPlan} from '../runner/budget/budget-plan.js'
import {ExperimentFileError} from '../experiments/errors.js'

export default class PlanCommand extends Command {
  static description = `Print the job graph of the requested tables with each job's estimated cost
(FLOPs, and time from a convolution measured on this machine), its cache status and the total
against the profile's time budget. Trains nothing, downloads nothing.
With --budget D (90m, 8h, 48h, 2d): the design (seeds per net, val images) whose claims most
often reach 80% power at the paper's effect sizes within D, from the cost model and the noise
an earlier run of the profile measured (or the profile's noiseDefaults); \`all --budget D\` runs it.`

  static examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --subset --budget 8h', '<%= config.bin %> plan --subset --seeds 3', '<%= config.bin %> plan --profile paper --data /data/ILSVRC2012', '<%= config.bin %> plan --tables table5,table6 --json']
  static enableJsonFlag = true
  static flags = {
    tables: Flags.string({description: 'comma-separated tables', default: TABLE_NAMES.join(',')}),
    profile: tableFlags.profile,
    subset: tableFlags.subset,
    data: tableFlags.data,
    backend: tableFlags.backend,
    precision: tableFlags.precision,
    seeds: tableFlags.seeds,
    'val-images': tableFlags['val-images'],
    budget: Flags.string({description: 'a wall-time budget (90m, 8h, 48h, 2d): print the design (seeds per net, val images) that gives the most claims 80% power at the paper\'s effect sizes within it'}),
  }

  async run(): Promise<Plan | BudgetPlan> {
    const {flags} = await this.parse(PlanCommand)
    try {
      const tables = flags.tables.split(',').map((t) => parseTableName(t.trim()))
      if (flags.budget !== undefined) {
        if (flags.seeds !== undefined || flags['val-images'] !== undefined) throw new ExperimentFileError('--budget chooses the seeds per net and the val images itself: give --budget or --seeds / --val-images')
        const b = await planBudget({tables, profile: profileOf(flags), data: flags.data, backend: flags.backend, precision: flags.precision, budget: flags.budget})
        this.log(formatBudgetPlan(b))
        return b
      }
      const plan = await planTables({tables, profile: profileOf(flags), data: flags.data, backend: flags.backend, precision: flags.precision, seeds: flags.seeds, valImages: flags['val-images']})
      this.log(formatPlan(plan))
      return plan
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
