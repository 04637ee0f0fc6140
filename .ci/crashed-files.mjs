// Reads a Node test runner TAP log; prints the test files that failed only by a native fault
// (docs/reliability.md, issue 21) and exits 0 only if those are the only failures. CI no longer
// reruns them (issue 21): it names them in its log and fails. A native fault is
//  - a file whose process died by a signal although none of its tests failed, or
//  - a test whose error is one TensorFlow raises from inside a kernel or its executor, never on
//    our input, or one of glibc's heap checks (scripts/native-fault.mjs): e.g. kill-resume's
//    fp32 child on 2026-12-07, "Output 0 of type INVALID does not match declared output type
//    float for node MatMul_117".
// Any other failing test, or a native-fault message in a test whose location is unknown, exits 1.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {isNativeFaultText} from '../scripts/native-fault.mjs'

/** {files, other}: the files that failed by a native fault and the number of failures that are not. */
export function nativeFaultFiles(tap) {
  const lines = tap.split('\n')
  const files = new Set()
  let other = 0
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i])
    if (!m) continue
    const indent = m[1]
    const block = []
    for (let j = i + 1; j < lines.length && j < i + 400 && lines[j] !== `${indent}  ...`; j++) block.push(lines[j])
    const text = block.join('\n')
    if (indent === '' && /^\S+\.test\.ts$/.test(m[2])) {
      // the file's own line: only when its process ended badly
      if (/signal: 'SIG[A-Z]+'/.test(text)) files.add(m[2])
      else other++
      continue
    }
    if (/failureType: 'subtestsFailed'/.test(text)) continue // its failing subtests decide
    const loc = /location: '([^']+?\.test\.ts):\d+:\d+'/.exec(text)
    if (isNativeFaultText(text) && loc) files.add(path.relative(process.cwd(), loc[1]))
    else other++
  }
  return {files: [...files], other}
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {files, other} = nativeFaultFiles(readFileSync(process.argv[2], 'utf8'))
  if (other > 0 || files.length === 0) process.exit(1)
  console.log(files.join(' '))
}
