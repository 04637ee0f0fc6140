#!/usr/bin/env node
// Markdown table of the crop ablation (scripts/ablation-crop.sh output, one JSONL file
// per arm in results/ablation/): minival top-1 errors, the dense minus multi-crop gap
// and the depth ordering (A vs D at S=256), per arm.
//   node scripts/ablation-table.mjs [results/ablation]
import fs from 'node:fs'
import path from 'node:path'

const dir = process.argv[2] ?? 'results/ablation'
const files = fs.readdirSync(dir).filter((f) => /^crop\d+\.jsonl$/.test(f)).sort((a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4)))
const fmt = (x) => (x === undefined ? '-' : x.toFixed(1))
const signed = (x) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`)
const rows = []
for (const f of files) {
  const lines = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  const get = (net, technique) => lines.find((l) => l.net === net && l.technique === technique)
  const time = lines.find((l) => l.trainSeconds !== undefined)
  const a = get('A', 'dense')
  const dDense = get('D256', 'dense')
  const dMc = get('D256', 'multi-crop')
  const jDense = get('Djit', 'dense')
  const jMc = get('Djit', 'multi-crop')
  rows.push([
    f.slice(4, -6),
    fmt(a?.top1),
    fmt(dDense?.top1),
    signed(a && dDense ? a.top1 - dDense.top1 : undefined),
    fmt(dMc?.top1),
    signed(dDense && dMc ? dDense.top1 - dMc.top1 : undefined),
    fmt(jDense?.top1),
    fmt(jMc?.top1),
    signed(jDense && jMc ? jDense.top1 - jMc.top1 : undefined),
    String(a?.n ?? '-'),
    time ? `${Math.round(time.trainSeconds / 60)} / ${Math.round(time.evalSeconds / 60)}` : '-',
  ])
}
const head = ['crop', 'A dense', 'D dense', 'A - D (depth gain)', 'D multi-crop', 'D dense - multi-crop', 'D-jit dense (3 Q)', 'D-jit multi-crop (3 Q)', 'D-jit dense - multi-crop', 'n', 'train / eval min']
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`)
