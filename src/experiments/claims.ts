// The paper's qualitative claims (experiments/claims.yaml); every row reference
// must name a row of the loaded tables (else a file:line error).
import path from 'node:path'
import {experimentsDir} from './paths.js'
import {claimsFileSchema} from './schema.js'
import type {Claim, TableSpec} from './types.js'
import {readYamlFile, validateYaml} from './yaml-source.js'

export function claimsFile(dir = experimentsDir()): string {
  return path.join(dir, 'claims.yaml')
}

/**
 * Load the claims. References to rows of tables not in `tables` are checked only
 * when `requireAll` is true (a run of table3 alone keeps claims that need table4;
 * the report marks them as not evaluated).
 */
export function loadClaims(file: string, tables: TableSpec[], requireAll = false): Claim[] {
  const source = readYamlFile(file)
  const parsed = validateYaml(claimsFileSchema, source)
  const rows = new Set(tables.flatMap((t) => t.rows.map((r) => `${t.table}/${r.id}`)))
  const loaded = new Set(tables.map((t) => t.table))
  const ids = new Set<string>()
  return parsed.claims.map((claim, i) => {
    if (ids.has(claim.id)) throw source.error(['claims', i, 'id'], `duplicate claim id "${claim.id}"`)
    ids.add(claim.id)
    if (claim.margin === undefined && claim.comparisons.some((c) => c.expect === 'not-lower')) {
      throw source.error(['claims', i], `claim "${claim.id}" has a 'not-lower' comparison: give its equivalence margin (margin: {relative: ...} or {points: ...})`)
    }
    claim.comparisons.forEach((cmp, j) => {
      for (const key of ['subject', 'reference'] as const) {
        const ref = cmp[key]
        const table = ref.split('/')[0]
        if ((requireAll || loaded.has(table as TableSpec['table'])) && !rows.has(ref)) {
          throw source.error(['claims', i, 'comparisons', j, key], `no row "${ref}" in the tables`)
        }
      }
    })
    return {...claim, source: {file: source.shown, line: source.lineOf(['claims', i]) ?? 0}}
  })
}

/** The claims restricted to comparisons whose rows are all present. */
export function claimsFor(claims: Claim[], tables: TableSpec[]): Claim[] {
  const rows = new Set(tables.flatMap((t) => t.rows.map((r) => `${t.table}/${r.id}`)))
  return claims
    .map((c) => ({...c, comparisons: c.comparisons.filter((x) => rows.has(x.subject) && rows.has(x.reference))}))
    .filter((c) => c.comparisons.length > 0)
}
