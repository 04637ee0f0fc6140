// Reads a Node test runner TAP log; prints the test files whose process died by a signal
// although none of their tests failed, and exits 0 only if those are the only failures.
import {readFileSync} from 'node:fs'
const lines = readFileSync(process.argv[2], 'utf8').split('\n')
const crashed = []
let other = 0
for (let i = 0; i < lines.length; i++) {
  const sub = /^\s+not ok \d+ /.test(lines[i])
  const top = /^not ok \d+ - (\S+\.test\.ts)$/.exec(lines[i])
  if (sub) other++
  else if (top) {
    const block = lines.slice(i + 1, i + 12).join('\n')
    if (/signal: 'SIG[A-Z]+'/.test(block)) crashed.push(top[1])
    else other++
  } else if (/^not ok /.test(lines[i])) other++
}
if (other > 0 || crashed.length === 0) process.exit(1)
console.log(crashed.join(' '))
