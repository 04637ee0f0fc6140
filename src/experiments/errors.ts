// One-line, user-facing errors about experiment files: commands print the message
// as is (no stack trace) and exit with status 2.

export class ExperimentFileError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'ExperimentFileError'
  }
}

/** `file:line: path: problem` (line omitted when unknown). */
export function fileLineMessage(file: string, line: number | undefined, where: string, problem: string): string {
  const loc = line === undefined ? file : `${file}:${line}`
  return where === '' ? `${loc}: ${problem}` : `${loc}: ${where}: ${problem}`
}
