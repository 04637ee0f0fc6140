// The import structure of src/ (ARCHITECTURE.md, "Map"): no file imports itself back
// through others, and folders import only the folders before them in LAYERS.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src')
const LAYERS = ['util', 'backend', 'models', 'data', 'experiments', 'train', 'eval', 'report', 'runner', 'bench', 'cli', 'commands']

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? files(p) : name.endsWith('.ts') ? [p] : []
  })
}

/** file -> the src files it imports (static and dynamic, types included) */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8')
    const specs = [...text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1])
    graph.set(file, specs.map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts'))))
  }
  return graph
}

const folderOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]

test('no import cycles between files of src/', () => {
  const graph = importGraph()
  const state = new Map<string, 'open' | 'done'>()
  const cycles: string[] = []
  const stack: string[] = []
  const visit = (f: string) => {
    state.set(f, 'open')
    stack.push(f)
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') cycles.push(stack.slice(stack.indexOf(d)).map((x) => path.relative(SRC, x)).join(' -> '))
      else if (state.get(d) === undefined && graph.has(d)) visit(d)
    }
    stack.pop()
    state.set(f, 'done')
  }
  for (const f of graph.keys()) if (state.get(f) === undefined) visit(f)
  assert.deepEqual(cycles, [])
  assert.ok(graph.size > 100, `read only ${graph.size} files`)
})

test('folders import only the folders before them', () => {
  const wrong: string[] = []
  for (const [file, deps] of importGraph()) {
    const from = LAYERS.indexOf(folderOf(file))
    assert.notEqual(from, -1, `${path.relative(SRC, file)}: folder not in LAYERS`)
    for (const d of deps) {
      if (LAYERS.indexOf(folderOf(d)) > from) wrong.push(`${path.relative(SRC, file)} imports ${path.relative(SRC, d)}`)
    }
  }
  assert.deepEqual(wrong, [])
})
