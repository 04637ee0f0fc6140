// CI names a test file as a native fault (issue 21) only when its process died by a signal,
// or a test failed with an error TensorFlow raises from inside a kernel; every failure fails CI,
// the naming only says which kind it was. Anything else must not be called a native fault.
import assert from 'node:assert/strict'
import {test} from 'node:test'
// @ts-expect-error: a plain .mjs script without types
import {nativeFaultFiles} from '../../.ci/crashed-files.mjs'

const failing = (n: number, name: string, file: string, error: string, type = 'testCodeFailure') => [
  `# Subtest: ${name}`,
  `not ok ${n} - ${name}`,
  '  ---',
  '  duration_ms: 2015.7',
  `  location: '${process.cwd()}/${file}:1:675'`,
  `  failureType: '${type}'`,
  '  error: |-',
  ...error.split('\n').map((l) => `    ${l}`),
  '  ...',
].join('\n')
const passing = (n: number) => `# Subtest: fine ${n}\nok ${n} - fine ${n}\n  ---\n  duration_ms: 1\n  ...`
const fileDied = (n: number, file: string, signal: string) =>
  `# Subtest: ${file}\nnot ok ${n} - ${file}\n  ---\n  duration_ms: 9\n  failureType: 'testCodeFailure'\n  exitCode: ~\n  signal: '${signal}'\n  error: 'test failed'\n  ...`

// the message of CI's failure on 2026-12-07 (the child's stderr inside the parent's assertion)
const INVALID = `child was not killed (it ended first): WARNING: All log messages before absl::InitializeLog()
Error: Session fail to run with error: Output 0 of type INVALID does not match declared output type float for node {{node MatMul_117}}
    at NodeJSKernelBackend.runSavedModel (.native/tfjs-node/dist/nodejs_kernel_backend.js:461:43)`

test('a test failed by a TensorFlow-internal error is a native fault: its file is named', () => {
  const tap = [passing(1), failing(2, 'kill -9 then resume', 'test/train/kill-resume.test.ts', INVALID), passing(3)].join('\n')
  assert.deepEqual(nativeFaultFiles(tap), {files: ['test/train/kill-resume.test.ts'], other: 0})
})

test('a file whose process died by a signal is named; two faults in one file name it once', () => {
  const tap = [
    fileDied(1, 'test/runner/run.test.ts', 'SIGSEGV'),
    failing(2, 'a', 'test/eval/dense.test.ts', 'could not execute a primitive. in file tensorflow/core/kernels/mkl/mkl_maxpooling_op.cc:388'),
    failing(3, 'b', 'test/eval/dense.test.ts', 'malloc(): unsorted double linked list corrupted'),
  ].join('\n')
  assert.deepEqual(nativeFaultFiles(tap), {files: ['test/runner/run.test.ts', 'test/eval/dense.test.ts'], other: 0})
})

test('any other failure is not a native fault: an assertion, a file that exited 1, a fault without a location', () => {
  const assertion = failing(1, 'loss falls', 'test/train/train-net.test.ts', 'Expected values to be strictly equal:\n0.5 !== 0.4')
  assert.deepEqual(nativeFaultFiles(assertion), {files: [], other: 1})
  const mixed = [failing(1, 'x', 'test/train/kill-resume.test.ts', INVALID), assertion.replace('not ok 1', 'not ok 2')].join('\n')
  assert.equal(nativeFaultFiles(mixed).other, 1, 'a real failure beside a native fault still fails CI')
  const exited = `not ok 1 - test/train/noise-remedies.test.ts\n  ---\n  exitCode: 1\n  signal: ~\n  error: 'test failed'\n  ...`
  assert.deepEqual(nativeFaultFiles(exited), {files: [], other: 1})
  const noLocation = `not ok 1 - something\n  ---\n  error: 'Session fail to run with error: x'\n  ...`
  assert.deepEqual(nativeFaultFiles(noLocation), {files: [], other: 1})
})

test('a suite that failed because a subtest did is decided by that subtest', () => {
  const nested = [
    '# Subtest: suite',
    '    # Subtest: inner',
    '    not ok 1 - inner',
    '      ---',
    `      location: '${process.cwd()}/test/runner/seeds.test.ts:3:1'`,
    "      error: 'Compute received an exception:Status:2'",
    '      ...',
    '    1..1',
    'not ok 1 - suite',
    '  ---',
    `  location: '${process.cwd()}/test/runner/seeds.test.ts:1:1'`,
    "  failureType: 'subtestsFailed'",
    "  error: '1 subtest failed'",
    '  ...',
  ].join('\n')
  assert.deepEqual(nativeFaultFiles(nested), {files: ['test/runner/seeds.test.ts'], other: 0})
})
