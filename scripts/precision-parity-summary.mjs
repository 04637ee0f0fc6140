#!/usr/bin/env node
// The parity table of docs/precision.md from scripts/precision-parity.sh's parity.jsonl:
// per net (config, seed) its minival and val top-1 error in fp32 and bf16; per config the
// mean paired difference bf16 - fp32 (same seed) with its 95% Student-t interval, and the
// seed SD of each precision. The rule: bf16 matches fp32 "within seed noise" when, for
// every config and both metrics, the interval of the mean paired difference contains 0
// and its mean is no larger than the seed SD of fp32.
//
//   node scripts/precision-parity-summary.mjs runs/parity/parity.jsonl [--json]
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {mean, sd} from './stats.mjs'

const require = createRequire(import.meta.url)
const tQuantile = require('@stdlib/stats-base-dists-t-quantile')

const file = process.argv[2]
if (file === undefined) {
  console.error('usage: precision-parity-summary.mjs parity.jsonl [--json]')
  process.exit(2)
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l))
// the last line per (config, seed, precision) wins: a rescoring replaces the earlier one
const byKey = new Map()
for (const r of rows) byKey.set(`${r.config}/${r.seed}/${r.precision}`, r)

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–')
const sgn = (x, d = 2) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(d)}` : '–')

const configs = [...new Set([...byKey.values()].map((r) => r.config))].sort()
const perNet = []
const perConfig = []
for (const config of configs) {
  const seeds = [...new Set([...byKey.values()].filter((r) => r.config === config).map((r) => r.seed))].sort((a, b) => a - b)
  const paired = seeds.flatMap((seed) => {
    const a = byKey.get(`${config}/${seed}/fp32`)
    const b = byKey.get(`${config}/${seed}/bf16`)
    return a && b ? [{seed, fp32: a, bf16: b}] : []
  })
  for (const p of paired) perNet.push({config, seed: p.seed, fp32: p.fp32, bf16: p.bf16})
  const stats = {}
  for (const metric of ['minivalTop1', 'valTop1']) {
    const d = paired.map((p) => p.bf16[metric] - p.fp32[metric])
    const n = d.length
    const half = n >= 2 ? tQuantile(0.975, n - 1) * (sd(d) / Math.sqrt(n)) : NaN
    const sdFp32 = sd(paired.map((p) => p.fp32[metric]))
    const sdBf16 = sd(paired.map((p) => p.bf16[metric]))
    const m = n > 0 ? mean(d) : NaN
    const within = n >= 2 && m - half <= 0 && m + half >= 0 && Math.abs(m) <= sdFp32
    stats[metric] = {n, meanDiff: m, ci: [m - half, m + half], sdDiff: sd(d), sdFp32, sdBf16, within}
  }
  const wall = (p) => p.trainWallS
  stats.speedup = paired.length > 0 ? mean(paired.map((p) => wall(p.fp32) / wall(p.bf16))) : NaN
  perConfig.push({config, seeds: paired.map((p) => p.seed), ...stats})
}
const verdict = perConfig.length > 0 && perConfig.every((c) => c.minivalTop1.within && c.valTop1.within) ? 'within' : 'outside'

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({perNet, perConfig, verdict}, null, 2))
  process.exit(0)
}
console.log('| net | seed | minival top-1 fp32 | minival top-1 bf16 | val top-1 fp32 | val top-1 bf16 | train wall fp32 / bf16 |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const r of perNet) {
  console.log(
    `| ${r.config} | ${r.seed} | ${f(r.fp32.minivalTop1)} | ${f(r.bf16.minivalTop1)} | ${f(r.fp32.valTop1)} | ${f(r.bf16.valTop1)} | ${f(r.fp32.trainWallS / 60)} / ${f(r.bf16.trainWallS / 60)} min |`,
  )
}
console.log('')
console.log('| net | seeds | metric | mean bf16 - fp32 [95% t CI] | SD of the paired differences | seed SD fp32 | seed SD bf16 | within seed noise | train speed bf16 / fp32 |')
console.log('|---|---:|---|---:|---:|---:|---:|---|---:|')
for (const c of perConfig) {
  for (const metric of ['minivalTop1', 'valTop1']) {
    const s = c[metric]
    console.log(
      `| ${c.config} | ${s.n} | ${metric === 'valTop1' ? 'val top-1' : 'minival top-1'} | ${sgn(s.meanDiff)} [${sgn(s.ci[0])}, ${sgn(s.ci[1])}] | ${f(s.sdDiff, 2)} | ${f(s.sdFp32, 2)} | ${f(s.sdBf16, 2)} | ${s.within ? 'yes' : 'no'} | ${metric === 'minivalTop1' ? `x${f(c.speedup, 2)}` : ''} |`,
    )
  }
}
console.log('')
console.log(`verdict: bf16 ${verdict === 'within' ? 'matches' : 'does not match'} fp32 within seed noise (BF16_PARITY = '${verdict}')`)
