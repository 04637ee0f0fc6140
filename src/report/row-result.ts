// The runner -> report contract (ARCHITECTURE.md "Row results"), as declared by the
// experiments module, plus the few table helpers the report needs.
import type {RowResult, TableName} from '../experiments/types.js'

export type {RowResult, TableName}
export type RowJob = RowResult['jobs'][number]
export type ReproducedErrors = NonNullable<RowResult['reproduced']>

// Own list (not the experiments' value export) so the report depends on types only.
export const REPORT_TABLES: readonly TableName[] = ['table3', 'table4', 'table5', 'table6']

export const TABLE_TITLES: Record<TableName, string> = {
  table3: 'Table 3: single test scale (dense)',
  table4: 'Table 4: multiple test scales (dense)',
  table5: 'Table 5: evaluation techniques (S = [256;512], Q = {256,384,512})',
  table6: 'Table 6: multi-net fusion',
}

/** Rows of one table in the order the runner gave them (the paper's row order). */
export function rowsOfTable(rows: readonly RowResult[], table: TableName): RowResult[] {
  return rows.filter((r) => r.table === table)
}

/** Tables that have at least one row, in paper order. */
export function tablesPresent(rows: readonly RowResult[]): TableName[] {
  return REPORT_TABLES.filter((t) => rows.some((r) => r.table === t))
}

/** Claims refer to rows as `<table>/<id>`. */
export function rowRef(row: Pick<RowResult, 'table' | 'id'>): string {
  return `${row.table}/${row.id}`
}
