// Vega-Lite -> Vega -> SVG in Node (headless view, no canvas needed), then PNG via sharp
// (librsvg draws the text with the system fonts, so the spec asks for DejaVu Sans).
import sharp from 'sharp'
import * as vega from 'vega'
import {compile, type TopLevelSpec} from 'vega-lite'
import {writeFile} from 'node:fs/promises'

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), {renderer: 'none'})
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** 2x density so text stays sharp when the PNG is scaled in a Markdown viewer. */
export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), {density: 144}).png().toBuffer()
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeChart(spec: TopLevelSpec, base: string): Promise<{svg: string; png: string}> {
  const svg = await renderSvg(spec)
  await writeFile(`${base}.svg`, svg)
  await writeFile(`${base}.png`, await svgToPng(svg))
  return {svg: `${base}.svg`, png: `${base}.png`}
}
