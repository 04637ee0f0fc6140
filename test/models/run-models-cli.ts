// Runs the `models` command from source in a child process (used by command.test.ts:
// the test runner owns this process's stdout).
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import Models from '../../src/commands/models.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
await Models.run(process.argv.slice(2), root)
