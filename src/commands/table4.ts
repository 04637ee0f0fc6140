import {Command} from '@oclif/core'
import {tableCommand, tableFlags, type TableCommandResult} from '../cli/table-command.js'

export default class Table4 extends Command {
  static description = `Reproduce the VGG paper's Table 4: multiple test scales (dense, posteriors averaged over Q).
Trains (or reuses from the cache) every net the table needs, evaluates, and writes results/<profile>/.`

  static examples = ['<%= config.bin %> table4 --subset', '<%= config.bin %> table4 --profile smoke --data DIR', '<%= config.bin %> table4 --dry-run']
  static enableJsonFlag = true
  static flags = tableFlags

  async run(): Promise<TableCommandResult> {
    const {flags} = await this.parse(Table4)
    return tableCommand(this, ['table4'], flags, this.jsonEnabled())
  }
}
