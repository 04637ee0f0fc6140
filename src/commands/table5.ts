import {Command} from '@oclif/core'
import {tableCommand, tableFlags, type TableCommandResult} from '../cli/table-command.js'

export default class Table5 extends Command {
  static description = `Reproduce the VGG paper's Table 5: dense vs multi-crop vs multi-crop & dense for the jittered D and E.
Trains (or reuses from the cache) every net the table needs, evaluates, and writes results/<profile>/.`

  static examples = ['<%= config.bin %> table5 --subset', '<%= config.bin %> table5 --profile smoke --data DIR', '<%= config.bin %> table5 --dry-run']
  static enableJsonFlag = true
  static flags = tableFlags

  async run(): Promise<TableCommandResult> {
    const {flags} = await this.parse(Table5)
    return tableCommand(this, ['table5'], flags, this.jsonEnabled())
  }
}
