// Public surface of the report module.
export {writeReports, curvesFromRows, type WriteReportsOptions} from './write-reports.js'
export {renderTerminal} from './terminal.js'
export {evaluateClaims, evaluateClaim, combineVerdicts, type Claim, type ClaimResult, type ClaimVerdict, type CheckResult} from './claims.js'
export {compare, noiseLevel, type ComparisonVerdict} from './comparison.js'
export type {JobNames, Provenance} from './provenance.js'
export {tableCsv, CSV_COLUMNS} from './table-csv.js'
export {tableMarkdown} from './table-markdown.js'
export {gitCommit} from './git-commit.js'
