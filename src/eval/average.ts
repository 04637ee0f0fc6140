// Combining evaluations = averaging soft-max posteriors with equal weight per input:
// over Q (multi-scale, paper 4.2), over techniques (multi-crop & dense, 4.3) and
// over nets (fusion, 4.4). The data is already on the host (read from files), so
// the mean is taken here, accumulated in float64 so the result is the correctly
// rounded float32 mean.
import {EvalInputError} from './errors.js'
import {readPosteriors} from './posteriors-file.js'
import type {Posteriors, SkippedImage} from './types.js'

type Input = string | Posteriors

interface Loaded {
  name: string
  p: Posteriors
}

function nameOf(input: Input, i: number): string {
  if (typeof input === 'string') return input
  return input.sources !== undefined ? `[${input.sources.join(' + ')}]` : `posteriors #${i + 1} (${input.technique} Q=${input.scales.join(',')})`
}

function firstDiff(a: readonly (string | number)[], b: readonly (string | number)[]): string {
  const len = Math.min(a.length, b.length)
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return `first difference at #${i}: ${a[i]} vs ${b[i]}`
  return `one list is a prefix of the other`
}

/** Throws one line naming both inputs when their class or image lists differ. */
export function checkCompatible(a: Loaded, b: Loaded): void {
  const ca = a.p.classes
  const cb = b.p.classes
  if (ca.length !== cb.length || ca.some((c, i) => c !== cb[i])) {
    throw new EvalInputError(
      `cannot average ${a.name} and ${b.name}: their class lists differ (${ca.length} vs ${cb.length} classes; ${firstDiff(ca, cb)})`,
    )
  }
  const ia = a.p.ids
  const ib = b.p.ids
  if (ia.length !== ib.length || ia.some((id, i) => id !== ib[i])) {
    throw new EvalInputError(
      `cannot average ${a.name} and ${b.name}: their image lists differ (${ia.length} vs ${ib.length} images; ${firstDiff(ia, ib)})`,
    )
  }
  const la = a.p.labels
  const lb = b.p.labels
  for (let i = 0; i < la.length; i++) {
    if (la[i] !== lb[i]) {
      throw new EvalInputError(`cannot average ${a.name} and ${b.name}: image ${ia[i]} has label ${la[i]} vs ${lb[i]}`)
    }
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}

/**
 * Equal-weight mean of the inputs' posteriors (paths are read; Posteriors objects
 * are used as given, so averages can be nested: e.g. fuse per-net averages).
 */
export async function averagePosteriors(inputs: Input[]): Promise<Posteriors> {
  if (inputs.length === 0) throw new EvalInputError('averagePosteriors: no posteriors to average')
  const loaded: Loaded[] = []
  for (const [i, input] of inputs.entries()) {
    loaded.push({name: nameOf(input, i), p: typeof input === 'string' ? await readPosteriors(input) : input})
  }
  for (let i = 1; i < loaded.length; i++) checkCompatible(loaded[0], loaded[i])

  const first = loaded[0].p
  const acc = new Float64Array(first.data.length)
  for (const {p} of loaded) {
    const d = p.data
    for (let j = 0; j < d.length; j++) acc[j] += d[j]
  }
  const data = new Float32Array(acc.length)
  const k = loaded.length
  for (let j = 0; j < acc.length; j++) data[j] = acc[j] / k

  const skippedById = new Map<string, SkippedImage>()
  for (const {p} of loaded) for (const s of p.skipped) if (!skippedById.has(s.id)) skippedById.set(s.id, s)
  const datasetIds = unique(loaded.map(({p}) => p.datasetId).filter((d): d is string => d !== undefined))
  return {
    classes: first.classes,
    ids: first.ids,
    labels: first.labels,
    data,
    n: first.n,
    technique: unique(loaded.flatMap(({p}) => p.technique.split('+'))).join('+'),
    scales: unique(loaded.flatMap(({p}) => p.scales)).sort((a, b) => a - b),
    checkpoints: unique(loaded.flatMap(({p}) => p.checkpoints)),
    skipped: [...skippedById.values()],
    ...(datasetIds.length === 1 ? {datasetId: datasetIds[0]} : {}),
    sources: loaded.map(({name}) => name),
    ...precisionOf(loaded.map(({p}) => p.precision)),
  }
}

/** The distinct precisions of averaged files, '+'-joined; unknown when any file predates the field. */
function precisionOf(list: (string | undefined)[]): {precision?: string} {
  if (list.some((p) => p === undefined)) return {}
  return {precision: unique(list.flatMap((p) => p!.split('+'))).sort().join('+')}
}
