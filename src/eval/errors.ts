// One error class for bad evaluation input: the command prints its message as one line.
export class EvalInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EvalInputError'
  }
}
