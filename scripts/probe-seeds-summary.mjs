// Summarise scripts/probe-seeds.sh: each seed's top-1 error at Q = S and over Q = S-32, S, S+32,
// its last epoch's train and minival errors, and the seed standard deviations.
// Usage: node scripts/probe-seeds-summary.mjs [DIR]   (default runs/probes-seeds/subset-x3)
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

const dir = process.argv[2] ?? 'runs/probes-seeds/subset-x3'
const sd = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}
const rows = []
for (const d of readdirSync(dir).filter((x) => /^A-s256-seed\d+$/.test(x)).sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)))) {
  const f = (name) => path.join(dir, d, name)
  if (!existsSync(f('eval-q256.json')) || !existsSync(f('eval-q224-288.json'))) continue
  const single = JSON.parse(readFileSync(f('eval-q256.json'), 'utf8')).top1Err
  const multi = JSON.parse(readFileSync(f('eval-q224-288.json'), 'utf8')).top1Err
  const last = readFileSync(f('metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).at(-1)
  rows.push({seed: Number(d.slice(11)), single, multi, epochs: last.epoch, train: last.trainTop1Err, minival: last.valTop1Err})
}
for (const r of rows) console.log(`seed ${r.seed}: top-1 ${r.single.toFixed(1)} (Q=S), ${r.multi.toFixed(1)} (3 Q); after ${r.epochs} epochs train ${r.train.toFixed(1)}, minival ${r.minival.toFixed(1)}`)
if (rows.length >= 2) {
  console.log(`seed SD over ${rows.length} seeds (${rows.length - 1} dof): ${sd(rows.map((r) => r.single)).toFixed(2)} points top-1 (Q=S); of the 3-Q minus 1-Q difference ${sd(rows.map((r) => r.multi - r.single)).toFixed(2)}`)
}
