// A training problem the user must fix (bad job, mismatched checkpoint); one line.
export class TrainError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TrainError'
  }
}
