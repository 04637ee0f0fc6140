// The `models` command: flags -> scale -> rows, run from source in a child process.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {it} from 'node:test'
import type {ModelsResult} from '../../src/commands/models.js'
import {countParams} from '../../src/models/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..')

async function run(argv: string[]): Promise<{stdout: string; stderr: string; code: number}> {
  try {
    const {stdout, stderr} = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(here, 'run-models-cli.ts'), ...argv], {cwd: root})
    return {stdout, stderr, code: 0}
  } catch (error) {
    const e = error as {stdout: string; stderr: string; code: number}
    return {stdout: e.stdout, stderr: e.stderr, code: e.code}
  }
}

it('defaults to paper scale and prints Table 2 next to the counts', async () => {
  const {stdout, code} = await run([])
  assert.equal(code, 0)
  assert.match(stdout, /paper scale: crop 224, width x1, FC 4096, 1000 classes/)
  assert.match(stdout, /D\s*│\s*16\s*│\s*138\.36\s*│\s*138\s*│\s*30\.94/)
})

it('explicit flags override the profile; --json prints only the result', async () => {
  const {stdout, code} = await run(['--profile', 'smoke', '--width-factor', '1/4', '--crop', '64', '--json'])
  assert.equal(code, 0)
  const result = JSON.parse(stdout) as ModelsResult
  assert.equal(result.source, 'smoke')
  assert.deepEqual(result.scale, {widthFactor: 0.25, fcWidth: 32, numClasses: 10, crop: 64})
  assert.deepEqual(result.models.map((m) => m.config), ['A', 'A-LRN', 'B', 'C', 'D', 'E'])
  assert.equal(result.models[4].params, countParams({config: 'D', ...result.scale}))
})

it('a bad crop is a one-line error', async () => {
  const {stderr, code} = await run(['--crop', '100'])
  assert.notEqual(code, 0)
  assert.match(stderr, /^vgg-repro: invalid NetSpec: crop 100 must be a multiple of 32/)
})
