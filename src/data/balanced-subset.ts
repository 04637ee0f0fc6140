// A capped val set (per-epoch check and evaluation): the index lists val images class by
// class, so its first N would cover only the first classes. Taking classes in
// turn keeps the subset balanced and the same on every run.
import type {Sample} from './image-folder.js'

export function balancedSubset(samples: readonly Sample[], maxImages: number | undefined): readonly Sample[] {
  if (maxImages === undefined || maxImages >= samples.length) return samples
  const byClass = new Map<number, Sample[]>()
  for (const s of samples) {
    const list = byClass.get(s.label)
    if (list === undefined) byClass.set(s.label, [s])
    else list.push(s)
  }
  const queues = [...byClass.entries()].sort(([a], [b]) => a - b).map(([, list]) => list)
  const out: Sample[] = []
  for (let i = 0; out.length < maxImages; i++) {
    for (const q of queues) {
      if (i < q.length && out.length < maxImages) out.push(q[i])
    }
  }
  return out
}
