// Charts render to valid SVG and PNG, and writeReports puts every file where the
// Markdown links point.
import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, test} from 'node:test'
import sharp from 'sharp'
import {claimsFile, loadClaims, loadTables} from '../../src/experiments/index.js'
import {curvesChartSpec} from '../../src/report/curves-chart.js'
import {errorChartSpec} from '../../src/report/error-chart.js'
import {writeReports} from '../../src/report/index.js'
import {parseMetricsJsonl} from '../../src/report/metrics-read.js'
import {renderSvg, svgToPng} from '../../src/report/render-chart.js'
import {rowsOfTable} from '../../src/report/row-result.js'
import {ok, paperRows, PROVENANCE} from './fixtures.js'

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, {recursive: true, force: true})
})

async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'vgg-report-'))
  dirs.push(d)
  return d
}

function assertSvg(svg: string): void {
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.match(svg, /<\/svg>\s*$/)
}

async function assertPng(buf: Buffer): Promise<void> {
  assert.ok(buf.length > 1000, `PNG of ${buf.length} bytes`)
  assert.deepEqual(buf.subarray(0, 8), PNG_MAGIC)
  const meta = await sharp(buf).metadata()
  assert.equal(meta.format, 'png')
  assert.ok((meta.width ?? 0) > 200 && (meta.height ?? 0) > 100)
}

test('error chart: SVG with the rows and both series, then a PNG', async () => {
  const rows = rowsOfTable(paperRows((r, i) => (i < 3 ? ok(r.paper.top1 + 2, r.paper.top5 + 1) : undefined)), 'table3')
  const svg = await renderSvg(errorChartSpec('Table 3', rows))
  assertSvg(svg)
  for (const text of ['A-256', 'paper', 'reproduced', '(pending)', 'top-1 error (%)']) assert.ok(svg.includes(text), text)
  await assertPng(await svgToPng(svg))
})

test('training curves: one line per net, torn and repeated lines handled', async () => {
  const text = [
    JSON.stringify({epoch: 1, trainLoss: 2.2, valTop1Err: 80}),
    JSON.stringify({epoch: 2, trainLoss: 2.0, valTop1Err: 75}),
    JSON.stringify({epoch: 2, trainLoss: 1.9, valTop1Err: 70}), // resumed run re-logged epoch 2
    '{"epoch": 3, "trainLo', // killed mid-write
  ].join('\n')
  const points = parseMetricsJsonl('A-256', text)
  assert.deepEqual(points.map((p) => [p.epoch, p.trainLoss, p.valTop1Err]), [[1, 2.2, 80], [2, 1.9, 70]])
  const svg = await renderSvg(curvesChartSpec('curves', [...points, ...parseMetricsJsonl('B-256', text)]))
  assertSvg(svg)
  for (const t of ['train loss', 'minival top-1 error (%)', 'A-256', 'B-256', 'epoch']) assert.ok(svg.includes(t), t)
  await assertPng(await svgToPng(svg))
})

test('writeReports writes tables, charts and a summary whose links resolve', async () => {
  const outDir = await tmp()
  const metrics = path.join(outDir, 'a.jsonl')
  await writeFile(metrics, [1, 2, 3].map((e) => JSON.stringify({epoch: e, trainLoss: 3 - e / 2, valTop1Err: 90 - 10 * e})).join('\n'))
  const rows = paperRows((r, i) =>
    r.table === 'table3' && i < 4
      ? {...ok(r.paper.top1 + 3, r.paper.top5 + 1), nets: [`train-${r.id}`], jobs: [{key: `train-${r.id}`, kind: 'train', wallMs: 1000 * (i + 1), metricsPath: metrics}]}
      : undefined,
  )
  const claims = loadClaims(claimsFile(), loadTables())
  const jobNames = {'train-A-256': 'train A S=256'}
  const {files} = await writeReports({profile: 'test', outDir, rows, claims, provenance: PROVENANCE, jobNames})

  for (const t of ['table3', 'table4', 'table5', 'table6']) {
    for (const ext of ['md', 'csv']) assert.ok(files.includes(path.join(outDir, `${t}.${ext}`)), `${t}.${ext}`)
  }
  for (const f of files) assert.ok((await stat(f)).size > 0, f)
  for (const f of files.filter((x) => x.endsWith('.png'))) await assertPng(await readFile(f))
  for (const f of files.filter((x) => x.endsWith('.svg'))) assertSvg(await readFile(f, 'utf8'))

  const summary = await readFile(path.join(outDir, 'summary.md'), 'utf8')
  const links = [...summary.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1])
  assert.deepEqual(links, ['charts/table3.png', 'charts/table4.png', 'charts/table5.png', 'charts/table6.png', 'charts/training-curves.png'])
  for (const l of links) await stat(path.join(outDir, l))
  // Curves default to the rows' train jobs, one per job, named by jobNames when given.
  const curves = await readFile(path.join(outDir, 'charts/training-curves.svg'), 'utf8')
  assert.ok(curves.includes('>A S=256<') && curves.includes('train-B-256'))
  assert.match(summary, /\| train A S=256 \| `train-A-256` \| train \| 1s \|/)
  for (const text of ['`test`', '100 train / 40 val images', 'abc123', 'cpu on test CPU', '0000000', 'within noise', '**The verdict rule.**', '**Training-run noise:** not measured', '**Columns.**']) {
    assert.ok(summary.includes(text), text)
  }
  const prov = JSON.parse(await readFile(path.join(outDir, 'provenance.json'), 'utf8')) as {jobs: {key: string; wallMs: number}[]}
  assert.equal(prov.jobs.length, 4)
})

test('no metrics yet: no curves chart, and the summary says so', async () => {
  const outDir = await tmp()
  const rows = rowsOfTable(paperRows(), 'table5')
  const {files} = await writeReports({profile: 'test', outDir, rows, claims: [], provenance: PROVENANCE, curves: [{net: 'D', metricsPath: path.join(outDir, 'missing.jsonl')}]})
  assert.ok(!files.some((f) => f.includes('training-curves')))
  assert.ok(!files.some((f) => f.includes('table3')))
  assert.match(await readFile(path.join(outDir, 'summary.md'), 'utf8'), /No training metrics yet/)
})
