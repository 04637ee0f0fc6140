import {Command, Flags} from '@oclif/core'
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {PROJECT_ROOT} from '../backend/backend.js'

export default class Setup extends Command {
  static description = `Build the native TensorFlow backend into .native/ (runs on npm install too).
Tries an existing binding, LIBTENSORFLOW_ROOT, a system or cached libtensorflow, the stock download, then the TensorFlow wheel from pip; compiles tfjs-node's binding with node-gyp.`
  static flags = {
    gpu: Flags.boolean({description: 'build tfjs-node-gpu against the TensorFlow GPU wheel and its CUDA wheels from pip (unverified: no GPU was available to test it)'}),
    force: Flags.boolean({description: 'rebuild even if a working binding exists'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Setup)
    // The same plain-JS script npm runs at postinstall (TypeScript is not built then).
    const script = path.join(PROJECT_ROOT, 'scripts', 'setup-native.mjs')
    const args = [script, ...(flags.gpu ? ['--gpu'] : []), ...(flags.force ? ['--force'] : [])]
    const res = spawnSync(process.execPath, args, {stdio: 'inherit'})
    if (res.status !== 0) this.exit(res.status ?? 1)
  }
}
