#!/usr/bin/env node
// A noise remedy measured on the whole graph (issue 20, docs/subset-protocol.md "Noise
// remedies"): the remedy's `vgg-repro all` run against the reference run, with the rule
// fixed before the run. Adopted only if all three hold:
//   1. every trained net learns: no net's last minival top-1 error is >= 80 % (chance 90 %);
//   2. the mean top-1 error over the Table 3 rows is not higher than the reference's
//      (mean paired difference, remedy - reference, <= 0; its 95 % t interval beside it);
//   3. the seed SD of net A over the remedy's seeds is lower than the reference's.
// Net A's seeds: seed 1 and the seed-noise probe's seeds from the remedy's runs folder
// (dense, Q = S), plus any measured elsewhere (--extra, e.g. the probe-seeds.sh seeds).
//
//   node scripts/whole-graph-compare.mjs REF_RESULTS ARM_RESULTS ARM_RUNS \
//     --ref-sd 5.9 [--extra 32.8,33.0,36.5,31.3] [--json]
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {mean, sd} from './stats.mjs'

const require = createRequire(import.meta.url)
const tQuantile = require('@stdlib/stats-base-dists-t-quantile')

const args = process.argv.slice(2)
const flag = (name) => {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args.splice(i, 2)[1]
}
const json = args.includes('--json')
if (json) args.splice(args.indexOf('--json'), 1)
const refSd = Number(flag('--ref-sd'))
const extra = (flag('--extra') ?? '').split(',').filter((x) => x !== '').map(Number)
const [refDir, armDir, armRuns] = args
if (armRuns === undefined || !Number.isFinite(refSd)) {
  console.error('usage: whole-graph-compare.mjs REF_RESULTS ARM_RESULTS ARM_RUNS --ref-sd SD [--extra e1,e2] [--json]')
  process.exit(2)
}

const sgn = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`

// table3.csv: a header line, then one row per Table 3 row (no quoted commas in these columns)
function table3(dir) {
  if (!existsSync(path.join(dir, 'table3.csv'))) {
    console.error(`whole-graph-compare: ${path.join(dir, 'table3.csv')} does not exist`)
    process.exit(2)
  }
  const [head, ...lines] = readFileSync(path.join(dir, 'table3.csv'), 'utf8').trim().split('\n')
  const cols = head.split(',')
  return new Map(
    lines.map((l) => {
      const cells = l.split(',')
      const row = Object.fromEntries(cols.map((c, i) => [c, cells[i]]))
      return [row.id, {label: row.label, top1: Number(row.top1_err), status: row.status}]
    }),
  )
}
const ref = table3(refDir)
const arm = table3(armDir)
const rows = [...arm.entries()]
  .filter(([id, r]) => ref.has(id) && r.status === 'ok' && ref.get(id).status === 'ok')
  .map(([id, r]) => ({id, label: r.label, ref: ref.get(id).top1, arm: r.top1, diff: r.top1 - ref.get(id).top1}))
const diffs = rows.map((r) => r.diff)
const dof = diffs.length - 1
const half = (tQuantile(0.975, dof) * sd(diffs)) / Math.sqrt(diffs.length)
const meanDiff = mean(diffs)

// every trained net's last epoch, and net A's dense Q = S errors, from the runs folder
const jobs = readdirSync(path.join(armRuns, 'jobs')).map((d) => path.join(armRuns, 'jobs', d))
const nets = []
const aSeeds = []
for (const dir of jobs) {
  const resultFile = path.join(dir, 'result.json')
  if (!existsSync(resultFile)) continue
  const result = JSON.parse(readFileSync(resultFile, 'utf8'))
  if (result.kind === 'train') {
    const epochs = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    nets.push({name: result.name, epochs: epochs.at(-1).epoch, minival: epochs.at(-1).valTop1Err})
  }
  const probe = /^eval A S=(\d+)(?: seed (\d+))? dense Q=(\d+)$/.exec(result.name)
  if (probe && probe[1] === probe[3]) aSeeds.push({seed: Number(probe[2] ?? 1), top1: result.output.top1Err})
}
nets.sort((a, b) => a.name.localeCompare(b.name))
aSeeds.sort((a, b) => a.seed - b.seed)
const allA = [...aSeeds.map((s) => s.top1), ...extra]
const armSd = sd(allA)

const learns = nets.every((n) => n.minival < 80)
const noWorse = meanDiff <= 0
const lessNoise = armSd < refSd
const out = {
  rows,
  meanDiff,
  ci: [meanDiff - half, meanDiff + half],
  dof,
  nets,
  aSeeds,
  extra,
  armSd,
  refSd,
  rule: {learns, noWorse, lessNoise, adopted: learns && noWorse && lessNoise},
}
if (json) {
  console.log(JSON.stringify(out, null, 2))
  process.exit(0)
}
console.log(`| Table 3 row | ${path.basename(refDir)} | ${path.basename(armDir)} | difference |`)
console.log('|---|---:|---:|---:|')
for (const r of rows) console.log(`| ${r.label} | ${r.ref.toFixed(1)} | ${r.arm.toFixed(1)} | ${sgn(r.diff)} |`)
console.log(`| mean over ${rows.length} rows | ${mean(rows.map((r) => r.ref)).toFixed(2)} | ${mean(rows.map((r) => r.arm)).toFixed(2)} | **${sgn(meanDiff)}** [${sgn(out.ci[0])}, ${sgn(out.ci[1])}] (95% t, ${dof} dof) |`)
console.log('')
console.log('| trained net | epochs | last minival top-1 |')
console.log('|---|---:|---:|')
for (const n of nets) console.log(`| ${n.name} | ${n.epochs} | ${n.minival.toFixed(1)} |`)
console.log('')
console.log(`net A, dense Q = S: ${aSeeds.map((s) => `seed ${s.seed} ${s.top1.toFixed(1)}`).join(', ')}${extra.length ? `; measured elsewhere ${extra.join(', ')}` : ''}`)
console.log(`seed SD over ${allA.length} seeds: ${armSd.toFixed(2)} (${allA.length - 1} dof), reference ${refSd}`)
console.log('')
console.log(`1. every net learns (last minival < 80 %): ${learns ? 'yes' : 'no'}`)
console.log(`2. mean Table 3 top-1 not higher (difference <= 0): ${noWorse ? 'yes' : 'no'} (${sgn(meanDiff)})`)
console.log(`3. seed SD of A lower: ${lessNoise ? 'yes' : 'no'} (${armSd.toFixed(2)} against ${refSd})`)
console.log(`adopted: ${out.rule.adopted ? 'yes' : 'no'}`)
