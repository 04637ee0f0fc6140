import {Command} from '@oclif/core'
import {tableCommand, tableFlags, type TableCommandResult} from '../cli/table-command.js'

export default class Table3 extends Command {
  static description = `Reproduce the VGG paper's Table 3: single test scale (dense), nets A..E trained at S = 256, 384 and [256;512].
Trains (or reuses from the cache) every net the table needs, evaluates, and writes results/<profile>/.`

  static examples = ['<%= config.bin %> table3 --subset', '<%= config.bin %> table3 --profile smoke --data DIR', '<%= config.bin %> table3 --dry-run']
  static enableJsonFlag = true
  static flags = tableFlags

  async run(): Promise<TableCommandResult> {
    const {flags} = await this.parse(Table3)
    return tableCommand(this, ['table3'], flags, this.jsonEnabled())
  }
}
