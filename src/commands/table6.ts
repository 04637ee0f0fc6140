import {Command} from '@oclif/core'
import {tableCommand, tableFlags, type TableCommandResult} from '../cli/table-command.js'

export default class Table6 extends Command {
  static description = `Reproduce the VGG paper's Table 6: fusion of nets (7-net ILSVRC submission; D + E).
Trains (or reuses from the cache) every net the table needs, evaluates, and writes results/<profile>/.`

  static examples = ['<%= config.bin %> table6 --subset', '<%= config.bin %> table6 --profile smoke --data DIR', '<%= config.bin %> table6 --dry-run']
  static enableJsonFlag = true
  static flags = tableFlags

  async run(): Promise<TableCommandResult> {
    const {flags} = await this.parse(Table6)
    return tableCommand(this, ['table6'], flags, this.jsonEnabled())
  }
}
