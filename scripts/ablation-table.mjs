#!/usr/bin/env node
// Markdown tables of the protocol ablations (docs/subset-protocol.md), from the JSONL
// lines of scripts/ablation-crop.sh / ablation-dense-fit.sh in results/ablation/ and the
// per-scale posterior files they left in runs/ablation/. Errors are top-1 % on the
// minival (training images held out of training).
//   node scripts/ablation-table.mjs [results/ablation] [runs/ablation]
import fs from 'node:fs'
import path from 'node:path'
import {readPosteriors} from '../dist/eval/posteriors-file.js'
import {errorPercent, perImageErrors} from '../dist/report/per-image-errors.js'

const dir = process.argv[2] ?? 'results/ablation'
const runs = process.argv[3] ?? 'runs/ablation'
const fmt = (x) => (x === undefined ? '-' : x.toFixed(1))
const signed = (x) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`)
const table = (head, rows) => `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`
const readJsonl = (f) => fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
const armOrder = (a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b)

async function errorAt(arm, net, technique, q) {
  const file = path.join(runs, `crop${arm}`, `eval-${net}-${technique}-256_384_512`, `${technique}-Q${q}.posteriors`)
  if (!fs.existsSync(file)) return undefined
  return errorPercent(perImageErrors(await readPosteriors(file)).top1)
}

const profileOf = (arm) => fs.readFileSync(`experiments/ablation/crop${arm}.yaml`, 'utf8')
const field = (text, key) => text.match(new RegExp(`^${key}: *([^ #\\n]+)`, 'm'))?.[1]

const crop = []
const arms = fs.readdirSync(dir).filter((f) => /^crop\w+\.jsonl$/.test(f)).map((f) => f.slice(4, -6)).sort(armOrder)
for (const arm of arms) {
  const lines = readJsonl(path.join(dir, `crop${arm}.jsonl`))
  const get = (net, technique) => lines.find((l) => l.net === net && l.technique === technique)
  const time = lines.find((l) => l.trainSeconds !== undefined)
  const p = profileOf(arm)
  const [a, dDense, jDense, jMc] = [get('A', 'dense'), get('D256', 'dense'), get('Djit', 'dense'), get('Djit', 'multi-crop')]
  const q384 = jDense?.scales[1]
  const [d1, m1] = [await errorAt(arm, 'Djit', 'dense', q384), await errorAt(arm, 'Djit', 'multi-crop', q384)]
  crop.push([
    `${field(p, 'crop')}, x${(+field(p, 'widthFactor')).toFixed(3)}`,
    fmt(a?.top1),
    fmt(dDense?.top1),
    signed(a && dDense ? a.top1 - dDense.top1 : undefined),
    `${fmt(d1)} / ${fmt(m1)} (${signed(d1 !== undefined && m1 !== undefined ? d1 - m1 : undefined)})`,
    `${fmt(jDense?.top1)} / ${fmt(jMc?.top1)} (${signed(jDense && jMc ? jDense.top1 - jMc.top1 : undefined)})`,
    String(a?.n ?? '-'),
    time ? `${Math.round(time.trainSeconds / 60)} / ${Math.round(time.evalSeconds / 60)}` : '-',
  ])
}
console.log('Crop ablation (A and D at S=256: dense at Q=S; D jittered: dense / multi-crop (dense - multi-crop)):\n')
console.log(table(['crop, widths', 'A', 'D', 'A - D (depth gain)', 'D-jit at Q=384·crop/224', 'D-jit at 3 Q (posteriors averaged)', 'n', 'train / eval min'], crop))

const perQ = []
for (const arm of arms) {
  const jDense = readJsonl(path.join(dir, `crop${arm}.jsonl`)).find((l) => l.net === 'Djit' && l.technique === 'dense')
  if (jDense === undefined) continue
  const cells = []
  for (const q of jDense.scales) {
    const [d, m] = [await errorAt(arm, 'Djit', 'dense', q), await errorAt(arm, 'Djit', 'multi-crop', q)]
    cells.push(`Q=${q}: ${fmt(d)} / ${fmt(m)} (${signed(d !== undefined && m !== undefined ? d - m : undefined)})`)
  }
  perQ.push([arm, ...cells])
}
console.log('\nD jittered at each Q (S = 256, 384, 512 x crop/224): dense / multi-crop (dense - multi-crop):\n')
console.log(table(['arm', 'Smin', 'middle', 'Smax'], perQ))

const fits = fs.readdirSync(dir).filter((f) => /^dense-fit-crop\w+\.jsonl$/.test(f)).sort()
for (const f of fits) {
  const lines = readJsonl(path.join(dir, f))
  const cols = [...new Set(lines.map((l) => `${l.net} Q=${l.scales[0]}`))]
  const rows = [...new Set(lines.map((l) => l.fit))].map((fit) => [fit, ...cols.map((c) => fmt(lines.find((l) => l.fit === fit && `${l.net} Q=${l.scales[0]}` === c)?.top1))])
  console.log(`\nDense fit at ${f.slice('dense-fit-'.length, -6)} (dense top-1 % per net and Q):\n`)
  console.log(table(['fit', ...cols], rows))
}
