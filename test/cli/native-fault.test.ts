// One definition of "native fault" text (scripts/native-fault.mjs) for the crash loop and CI;
// the supervisor's copy (src/ cannot import a script outside its rootDir) must stay equal.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {TF_INTERNAL_ERROR, isNativeFault} from '../../src/cli/supervise.js'
// @ts-expect-error: a plain .mjs script without types
import {HEAP_FAULT, TF_INTERNAL_ERROR as SCRIPT_TF_INTERNAL_ERROR, isNativeFaultText} from '../../scripts/native-fault.mjs'
// @ts-expect-error: a plain .mjs script without types
import {classify} from '../../scripts/crash-loop.mjs'

const internal = [
  'Session fail to run with error: Output 0 of type INVALID does not match declared output type float for node MatMul_117',
  'could not execute a primitive',
  'Error: Compute received an exception: dnnl error',
]
const heap = ['malloc(): unsorted double linked list corrupted', 'corrupted double-linked list', 'double free or corruption (out)', 'free(): invalid pointer', 'Segmentation fault (core dumped)']
const neither = [
  "I0000 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results",
  'runs/x/A/checkpoint.bin: checkpoint is corrupted (expected 1024 bytes)',
  'AssertionError: loss did not fall',
]

test("the supervisor's TensorFlow-internal pattern is the scripts' one", () => {
  assert.equal(TF_INTERNAL_ERROR.source, (SCRIPT_TF_INTERNAL_ERROR as RegExp).source)
  assert.equal(TF_INTERNAL_ERROR.flags, (SCRIPT_TF_INTERNAL_ERROR as RegExp).flags)
  for (const m of internal) assert.ok(isNativeFault(m), m)
  for (const m of [...heap, ...neither]) assert.ok(!isNativeFault(m), m)
})

test('CI and the crash loop tell heap faults and TensorFlow-internal errors from everything else', () => {
  for (const m of [...internal, ...heap]) assert.ok(isNativeFaultText(m), m)
  for (const m of neither) assert.ok(!isNativeFaultText(m), m)
  for (const m of heap) assert.equal(classify({code: 1, signal: null, timedOut: false, out: m}), 'crash', m)
  for (const m of internal) assert.equal(classify({code: 1, signal: null, timedOut: false, out: m}), 'onednn', m)
  for (const m of neither) assert.equal(classify({code: 1, signal: null, timedOut: false, out: m}), 'fail', m)
  assert.equal(classify({code: 0, signal: null, timedOut: false, out: neither[0]}), 'ok')
  assert.ok(!(HEAP_FAULT as RegExp).test(internal[0]))
})
