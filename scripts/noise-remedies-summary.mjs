// Issue 20's noise remedies side by side: each arm's seeds of net A (scripts/probe-seeds.sh
// folders), their top-1 errors and curves, the seed SD and mean minival error, and the rule
// fixed before the runs: a remedy is adopted only if it lowers the seed SD of the test error
// without raising the mean minival error (docs/subset-protocol.md, "Noise remedies").
// Usage: node scripts/noise-remedies-summary.mjs BASELINE_DIR ARM_DIR...
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {mean, sd} from './stats.mjs'

const dirs = process.argv.slice(2)
if (dirs.length < 2) {
  console.error('usage: node scripts/noise-remedies-summary.mjs BASELINE_DIR ARM_DIR...')
  process.exit(2)
}
// F(3, 3) one-sided 5% critical value (standard tables): with 4 seeds per arm a variance ratio
// below it is within chance
const F_3_3 = 9.28

function arm(dir) {
  const seeds = []
  for (const d of readdirSync(dir).filter((x) => /^A-s256-seed\d+$/.test(x))) {
    const f = (name) => path.join(dir, d, name)
    if (!existsSync(f('eval-q256.json')) || !existsSync(f('eval-q224-288.json'))) continue
    const epochs = readFileSync(f('metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    seeds.push({
      seed: Number(d.slice('A-s256-seed'.length)),
      test: JSON.parse(readFileSync(f('eval-q256.json'), 'utf8')).top1Err,
      test3: JSON.parse(readFileSync(f('eval-q224-288.json'), 'utf8')).top1Err,
      minival: epochs.at(-1).valTop1Err,
      train: epochs.at(-1).trainTop1Err,
      at3: epochs.find((e) => e.epoch === 3)?.valTop1Err,
      diverged: epochs.every((e) => e.valTop1Err >= 89.9),
    })
  }
  return {name: path.basename(dir), seeds: seeds.sort((a, b) => a.seed - b.seed)}
}

const arms = dirs.map(arm)
const f1 = (x) => (x === undefined ? '-' : x.toFixed(1))
console.log('| arm | seed | test top-1 % (Q = S) | test top-1 % (3 Q) | minival top-1 % (last epoch) | train top-1 % (last epoch) | minival top-1 % after epoch 3 |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const a of arms) for (const s of a.seeds) console.log(`| ${a.name} | ${s.seed} | ${f1(s.test)} | ${f1(s.test3)} | ${f1(s.minival)} | ${f1(s.train)} | ${f1(s.at3)} |`)
console.log('')
console.log('| arm | seeds | mean test top-1 % | seed SD (test) | mean minival top-1 % | seed SD (minival) | late starters (minival >= 80 % after epoch 3) | diverged |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
const stats = arms.map((a) => {
  const col = (k) => a.seeds.map((s) => s[k])
  const n = a.seeds.length
  const row = {name: a.name, n, test: mean(col('test')), testSd: n > 1 ? sd(col('test')) : NaN, minival: mean(col('minival')), minivalSd: n > 1 ? sd(col('minival')) : NaN,
    late: a.seeds.filter((s) => s.at3 !== undefined && s.at3 >= 80).length, diverged: a.seeds.filter((s) => s.diverged).length}
  console.log(`| ${row.name} | ${n} | ${f1(row.test)} | ${row.testSd.toFixed(2)} | ${f1(row.minival)} | ${row.minivalSd.toFixed(2)} | ${row.late} of ${n} | ${row.diverged} of ${n} |`)
  return row
})
console.log('')
const [base, ...rest] = stats
for (const r of rest) {
  const lowerSd = r.testSd < base.testSd
  const notWorse = r.minival <= base.minival
  const ratio = (base.testSd / r.testSd) ** 2
  const chance = base.n === 4 && r.n === 4 ? `; variance ratio ${ratio.toFixed(2)} against F(3,3) 5% ${F_3_3}: ${ratio >= F_3_3 ? 'beyond' : 'within'} chance` : `; variance ratio ${ratio.toFixed(2)}`
  console.log(`${r.name} vs ${base.name}: seed SD ${r.testSd.toFixed(2)} vs ${base.testSd.toFixed(2)} (${lowerSd ? 'lower' : 'not lower'}), mean minival ${f1(r.minival)} vs ${f1(base.minival)} (${notWorse ? 'not higher' : 'higher'})${chance} -> ${lowerSd && notWorse ? 'meets the rule' : 'does not meet the rule'}`)
}
