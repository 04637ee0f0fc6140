import {Command} from '@oclif/core'
import {tableCommand, tableFlags, type TableCommandResult} from '../cli/table-command.js'

export default class All extends Command {
  static description = `Reproduce Tables 3-6 of the VGG paper in one job graph (the main job).
Each net is trained once and shared by every table; finished jobs are cached, so a rerun
resumes where it stopped. Default profile: subset (Imagenette, scaled-down nets).`

  static examples = ['<%= config.bin %> all', '<%= config.bin %> all --subset --data ../shared/datasets/imagenette2-224', '<%= config.bin %> all --profile smoke --data DIR', '<%= config.bin %> all --dry-run']
  static enableJsonFlag = true
  static flags = tableFlags

  async run(): Promise<TableCommandResult> {
    const {flags} = await this.parse(All)
    return tableCommand(this, ['table3', 'table4', 'table5', 'table6'], flags, this.jsonEnabled())
  }
}
