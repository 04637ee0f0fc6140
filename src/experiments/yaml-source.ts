// Parse a YAML experiment file keeping source positions, validate it with a zod
// schema, and turn the first problem into one `file:line: key: problem` line.
import {readFileSync} from 'node:fs'
import {isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import type {z} from 'zod'
import {ExperimentFileError, fileLineMessage} from './errors.js'
import {displayPath} from './paths.js'

export type YamlPath = readonly (string | number)[]

export interface YamlSource {
  file: string
  /** the file name as shown in messages */
  shown: string
  data: unknown
  /** 1-based line of the node at `path` (or of its nearest existing ancestor) */
  lineOf(path: YamlPath, key?: string): number | undefined
  /** an ExperimentFileError pointing at `path` */
  error(path: YamlPath, problem: string, key?: string): ExperimentFileError
}

export function readYamlFile(file: string): YamlSource {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ExperimentFileError(`${displayPath(file)}: cannot read (${code ?? String(error)})`, file)
  }
  return parseYamlText(text, file)
}

export function parseYamlText(text: string, file: string): YamlSource {
  const shown = displayPath(file)
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false})
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    const line = first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line
    // yaml's messages can span lines (a source excerpt); keep the first line.
    const problem = `YAML syntax error: ${first.message.split('\n')[0]}`
    throw new ExperimentFileError(fileLineMessage(shown, line, '', problem), file, line)
  }
  const lineOf = (path: YamlPath, key?: string): number | undefined => nodeLine(doc, lineCounter, path, key)
  return {
    file,
    shown,
    data: doc.toJS(),
    lineOf,
    error(path, problem, key) {
      const full = key === undefined ? path : [...path, key]
      const line = lineOf(path, key)
      return new ExperimentFileError(fileLineMessage(shown, line, formatPath(full), problem), file, line)
    },
  }
}

function nodeLine(doc: Document, lc: LineCounter, path: YamlPath, key?: string): number | undefined {
  // Walk up from the full path until a node exists (a missing key points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined
    if (node === null || node === undefined) continue
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)
      const keyNode = pair?.key as Node | undefined
      if (keyNode?.range) return lc.linePos(keyNode.range[0]).line
    }
    if (node.range) return lc.linePos(node.range[0]).line
  }
  return undefined
}

/** `rows[3].paper.top1` */
export function formatPath(path: YamlPath): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? part : `.${part}`
  }
  return out
}

/** Validate `source.data`; on failure throw the earliest problem in the file. */
export function validateYaml<T>(schema: z.ZodType<T>, source: YamlSource): T {
  const result = schema.safeParse(source.data)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
    const missing = key === undefined && valueAt(source.data, path) === undefined
    const problem = missing ? 'missing (required)' : describeIssue(issue)
    return {path, key, problem, missing, line: source.lineOf(path, key) ?? Number.MAX_SAFE_INTEGER}
  })
  // A misspelt key yields "unknown key" and "missing": the first says more, so
  // problems at existing nodes come first, each group in file order.
  problems.sort((a, b) => Number(a.missing) - Number(b.missing) || a.line - b.line)
  const first = problems[0]
  throw source.error(first.path, first.problem, first.key)
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let v = data
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[p]
  }
  return v
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'expected an integer' : `expected ${article(issue.expected)}`
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? 'unknown key' : `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`
    default:
      return issue.message
  }
}

function article(type: string): string {
  const name = type === 'tuple' ? 'list' : type === 'array' ? 'list' : type === 'object' ? 'mapping' : type
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`
}
