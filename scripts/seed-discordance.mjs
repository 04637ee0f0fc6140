// Issue 10: how much of the per-image disagreement between two nets is seed noise?
// Compares seed pairs of net A with pairs of different S=256 nets, all dense at Q=S,
// on the same val images (the eval jobs of a finished run with seedNoise).
// Usage: node scripts/seed-discordance.mjs [PROFILE] [Q]   (default subset-seeds8 146; needs npm run build)
// Reads runs/PROFILE/jobs, and results/PROFILE/provenance.json for which A is the tables' own.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {readPosteriors} from '../dist/eval/posteriors-file.js'
import {perImageErrors} from '../dist/report/per-image-errors.js'
import {discordance} from '../dist/report/seed-discordance.js'

const profile = process.argv[2] ?? 'subset-seeds8'
const q = process.argv[3] ?? '146'
const jobs = path.join('runs', profile, 'jobs')
// The rows' jobs (seed runs excluded): the one A evaluation among them is the tables' A.
const rowJobs = JSON.parse(readFileSync(path.join('results', profile, 'provenance.json'), 'utf8')).jobs
const tableA = rowJobs.find((j) => j.name === `eval A S=${q} dense Q=${q}`).key
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
async function load(net) {
  const re = new RegExp(`^eval-${net}-s256-dense-q${q}-[0-9a-f]{16}$`)
  const out = []
  for (const d of readdirSync(jobs).filter((x) => re.test(x)).sort()) {
    const r = JSON.parse(readFileSync(path.join(jobs, d, 'result.json'), 'utf8'))
    out.push({key: r.key, err: r.output.top1Err, e: perImageErrors(await readPosteriors(path.join(jobs, d, r.output.posteriors))).top1})
  }
  return out
}
const pairsOf = (xs) => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => discordance(a.e, b.e)))
const A = await load('A')
const close = A.filter((x) => x.err < 38)
console.log(`net A, ${A.length} seeds (top-1 ${A.map((x) => x.err).join(', ')}): seed pairs disagree on ${(100 * mean(pairsOf(A))).toFixed(1)}% of images`)
console.log(`  the ${close.length} seeds under 38%: ${(100 * mean(pairsOf(close))).toFixed(1)}%`)
const first = async (net) => (await load(net))[0]
const nets = {A: A.find((x) => x.key === tableA), 'A-LRN': await first('A-LRN'), B: await first('B'), C: await first('C'), D: await first('D'), E: await first('E')}
const claimPairs = [['A-LRN', 'A'], ['B', 'A'], ['D', 'B'], ['E', 'B'], ['D', 'C'], ['E', 'D']]
const cross = claimPairs.map(([x, y]) => discordance(nets[x].e, nets[y].e))
console.log(`different S=256 nets (${claimPairs.map((p) => p.join('/')).join(', ')}): ${cross.map((d) => (100 * d).toFixed(1)).join(', ')}; mean ${(100 * mean(cross)).toFixed(1)}%`)
