import assert from 'node:assert/strict'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import Eval, {type EvalCommandResult} from '../../src/commands/eval.js'
import {initBackend, PROJECT_ROOT} from '../../src/backend/backend.js'
import {readPosteriors} from '../../src/eval/posteriors-file.js'
import {makeDataset, saveTinyCheckpoint, tempDir, tinyNet} from './fixtures.js'

/**
 * Run the command in-process. stdout is the test runner's TAP stream, so the
 * command's own output is caught at its log methods, not at process.stdout;
 * stderr (where failOneLine writes) is safe to intercept.
 */
async function runEval(argv: string[]): Promise<{result?: EvalCommandResult; error?: Error; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const proto = Eval.prototype as unknown as {log: (...a: unknown[]) => void; logJson: (j: unknown) => void}
  const {log, logJson} = proto
  const err = process.stderr.write.bind(process.stderr)
  proto.log = (...a: unknown[]) => void (stdout += a.join(' ') + '\n')
  proto.logJson = (j: unknown) => void (stdout += JSON.stringify(j) + '\n')
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write
  try {
    const result = (await Eval.run(argv, PROJECT_ROOT)) as EvalCommandResult
    return {result, stdout, stderr}
  } catch (error) {
    return {error: error as Error, stdout, stderr}
  } finally {
    proto.log = log
    proto.logJson = logJson
    process.stderr.write = err
    // oclif records a failed command's exit code on the process; this one is expected.
    process.exitCode = undefined
  }
}

describe('vgg-repro eval', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let common: string[]
  before(async () => {
    await initBackend()
    ;({dir, cleanup} = await tempDir())
    const classes = ['a', 'b']
    await makeDataset(path.join(dir, 'data'), classes, 3)
    const net = tinyNet(2)
    await saveTinyCheckpoint(path.join(dir, 'net.ckpt'), net, classes)
    net.dispose()
    common = ['--checkpoint', path.join(dir, 'net.ckpt'), '--data', path.join(dir, 'data'), '--out', path.join(dir, 'out')]
  })
  after(async () => cleanup())

  test('--profile scales paper Q values; multi-crop+dense averages the per-(technique, Q) files', async () => {
    const {result, error, stdout} = await runEval([...common, '--profile', 'smoke', '--technique', 'multi-crop+dense', '--scales', '224,256', '--json'])
    assert.equal(error, undefined)
    assert.ok(result)
    const json = JSON.parse(stdout.trim().split('\n').at(-1)!) as EvalCommandResult
    assert.equal(json.technique, 'multi-crop+dense')
    assert.equal(json.posteriors, result.posteriors)
    assert.deepEqual(result.scales, [32, 37]) // smoke crop 32: 224 -> 32, 256 -> round(36.57)
    assert.deepEqual(result.scalesGiven, [224, 256])
    assert.equal(result.parts.length, 4)
    assert.equal(result.n, 6)
    const p = await readPosteriors(result.posteriors)
    assert.equal(p.technique, 'multi-crop+dense')
    assert.deepEqual(p.scales, [32, 37])
  })

  test('without --profile the scales are used as given', async () => {
    const {result, stdout} = await runEval([...common, '--scales', '40', '--max-images', '4'])
    assert.ok(result)
    assert.deepEqual(result.scales, [40])
    assert.equal(result.n, 4)
    assert.match(stdout, /dense +Q=40 +top-1 [\d.]+% \[/)
  })

  for (const [args, message] of [
    [['--scales', '16'], 'vgg-repro: test scale Q=16 is smaller than the crop size 32\n'],
    [['--scales', ','], 'vgg-repro: empty test scale set ",": give at least one Q (e.g. --scales 256,384,512)\n'],
    [['--scales', '32', '--technique', 'ten-crop'], 'vgg-repro: unknown technique "ten-crop": valid techniques are dense, multi-crop, multi-crop+dense\n'],
  ] as const) {
    test(`bad input ${args.join(' ')}: one line, exit 2`, async () => {
      const {error, stderr} = await runEval([...common, ...args])
      assert.equal((error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit, 2)
      assert.equal(stderr, message)
    })
  }
})
