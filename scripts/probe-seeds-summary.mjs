// Summarise scripts/probe-seeds.sh: each seed's top-1 error at Q = S and over Q = S-32, S, S+32,
// its last epoch's train and minival errors, the first epoch its minival error is below 80 %
// (10 classes: chance is 90 %; a late starter stays near it for epochs), and the seed means
// and standard deviations.
// Usage: node scripts/probe-seeds-summary.mjs [DIR]   (default runs/probes-seeds/subset-x3)
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {mean, sd} from './stats.mjs'

const dir = process.argv[2] ?? 'runs/probes-seeds/subset-x3'
const rows = []
for (const d of readdirSync(dir).filter((x) => /^A-s256-seed\d+$/.test(x)).sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)))) {
  const f = (name) => path.join(dir, d, name)
  if (!existsSync(f('eval-q256.json')) || !existsSync(f('eval-q224-288.json'))) continue
  const single = JSON.parse(readFileSync(f('eval-q256.json'), 'utf8')).top1Err
  const multi = JSON.parse(readFileSync(f('eval-q224-288.json'), 'utf8')).top1Err
  const epochs = readFileSync(f('metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  const last = epochs.at(-1)
  const start = epochs.find((e) => e.valTop1Err < 80)?.epoch ?? '-'
  rows.push({seed: Number(d.slice(11)), single, multi, epochs: last.epoch, train: last.trainTop1Err, minival: last.valTop1Err, start})
}
for (const r of rows) console.log(`seed ${r.seed}: top-1 ${r.single.toFixed(1)} (Q=S), ${r.multi.toFixed(1)} (3 Q); after ${r.epochs} epochs train ${r.train.toFixed(1)}, minival ${r.minival.toFixed(1)}; minival below 80 % from epoch ${r.start}`)
if (rows.length >= 2) {
  const col = (k) => rows.map((r) => r[k])
  console.log(`mean over ${rows.length} seeds: top-1 ${mean(col('single')).toFixed(2)} (Q=S), ${mean(col('multi')).toFixed(2)} (3 Q); minival ${mean(col('minival')).toFixed(2)} (SD ${sd(col('minival')).toFixed(2)})`)
  console.log(`seed SD over ${rows.length} seeds (${rows.length - 1} dof): ${sd(rows.map((r) => r.single)).toFixed(2)} points top-1 (Q=S); of the 3-Q minus 1-Q difference ${sd(rows.map((r) => r.multi - r.single)).toFixed(2)}`)
}
