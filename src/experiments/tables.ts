// Load the paper tables (experiments/tableN.yaml) into normalised rows: every net
// of a row carries its Q set, every row a label and its source line.
import path from 'node:path'
import {ExperimentFileError} from './errors.js'
import {rowLabel} from './labels.js'
import {experimentsDir} from './paths.js'
import {tableFileSchema} from './schema.js'
import type {ConfigName} from '../models/types.js'
import {TABLE_NAMES, type NetRef, type TableName, type TableRow, type TableSpec, type Technique} from './types.js'
import {readYamlFile, validateYaml} from './yaml-source.js'

/** Paper-scale training scales the init chain knows: 256 -> 384 -> [256, 512]. */
export const TRAIN_STAGES = ['256', '384', '256-512'] as const
export type TrainStage = (typeof TRAIN_STAGES)[number]

export function stageOf(scale: number | [number, number]): TrainStage | undefined {
  const key = Array.isArray(scale) ? `${scale[0]}-${scale[1]}` : String(scale)
  return (TRAIN_STAGES as readonly string[]).includes(key) ? (key as TrainStage) : undefined
}

export function tableFile(table: TableName, dir = experimentsDir()): string {
  return path.join(dir, `${table}.yaml`)
}

export function loadTable(file: string): TableSpec {
  const source = readYamlFile(file)
  const parsed = validateYaml(tableFileSchema, source)
  const expectedName = path.basename(file, '.yaml')
  if ((TABLE_NAMES as readonly string[]).includes(expectedName) && parsed.table !== expectedName) {
    throw source.error(['table'], `this file holds "${expectedName}" (got "${parsed.table}")`)
  }
  const seen = new Map<string, number>()
  const rows: TableRow[] = parsed.rows.map((row, i) => {
    const at = (...p: (string | number)[]) => ['rows', i, ...p]
    const line = source.lineOf(at()) ?? 0
    const firstLine = seen.get(row.id)
    if (firstLine !== undefined) throw source.error(at('id'), `duplicate row id "${row.id}" (first on line ${firstLine})`)
    seen.set(row.id, line)
    if ((row.net === undefined) === (row.nets === undefined)) {
      throw source.error(at(), 'give exactly one of "net" (one net) or "nets" (fusion)')
    }
    const refs = row.nets ?? [row.net!]
    const listKey = row.nets === undefined ? 'net' : 'nets'
    const nets: NetRef[] = refs.map((ref, j) => {
      const refPath = listKey === 'net' ? at('net') : at('nets', j)
      // An unknown net: the chain trains only these stages, so no job could make it.
      if (stageOf(ref.scale) === undefined) {
        throw source.error([...refPath, 'scale'], `no net is trained at S=${JSON.stringify(ref.scale)}: the init chain trains S = 256, 384 and [256, 512]`)
      }
      if (Array.isArray(ref.scale) && ref.scale[0] >= ref.scale[1]) {
        throw source.error([...refPath, 'scale'], 'a jitter range needs Smin < Smax')
      }
      const q = ref.q ?? row.q
      if (q === undefined) throw source.error(refPath, 'no Q set: give "q" on the row or on this net')
      return {config: ref.config as ConfigName, scale: ref.scale, q}
    })
    const technique = row.technique as Technique
    return {
      table: parsed.table as TableName,
      id: row.id,
      label: row.label ?? rowLabel(nets, technique),
      nets,
      technique,
      paper: row.paper,
      source: {file: source.shown, line},
    }
  })
  return {table: parsed.table as TableName, title: parsed.title, description: parsed.description, rows, file}
}

/** Load several tables from `dir` (default experiments/). */
export function loadTables(tables: readonly TableName[] = TABLE_NAMES, dir = experimentsDir()): TableSpec[] {
  return tables.map((t) => loadTable(tableFile(t, dir)))
}

export function parseTableName(name: string): TableName {
  if ((TABLE_NAMES as readonly string[]).includes(name)) return name as TableName
  throw new ExperimentFileError(`unknown table "${name}": known tables are ${TABLE_NAMES.join(', ')}`)
}
