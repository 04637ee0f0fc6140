// Dependency order of a job graph, rejecting references to unknown jobs and
// cycles (e.g. an init chain that loops) with one line naming the jobs.

export class GraphError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GraphError'
  }
}

interface Orderable {
  key: string
  name: string
  deps: string[]
}

/**
 * Parents before children; among ready jobs the insertion order is kept, so a
 * row's jobs run close together and results appear early.
 */
export function orderGraph(nodes: Map<string, Orderable>): string[] {
  for (const node of nodes.values()) {
    for (const d of node.deps) {
      if (!nodes.has(d)) throw new GraphError(`job "${node.name}" depends on an unknown job ${d}`)
    }
  }
  const state = new Map<string, 'visiting' | 'done'>()
  const order: string[] = []
  const stack: string[] = []
  const visit = (key: string) => {
    const s = state.get(key)
    if (s === 'done') return
    if (s === 'visiting') {
      const loop = [...stack.slice(stack.indexOf(key)), key].map((k) => nodes.get(k)!.name)
      throw new GraphError(`cycle in the job graph: ${loop.join(' -> ')}`)
    }
    state.set(key, 'visiting')
    stack.push(key)
    for (const d of nodes.get(key)!.deps) visit(d)
    stack.pop()
    state.set(key, 'done')
    order.push(key)
  }
  for (const key of nodes.keys()) visit(key)
  return order
}
