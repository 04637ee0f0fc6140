// Exit statuses of the commands besides 0, one list for all of them (user errors:
// cli/errors.ts).
export const EXIT_CODES = {
  /** a run ended with failed jobs or rows, a diverged training, a failed Slurm job */
  failed: 1,
  /** a user error (one line on stderr) */
  userError: 2,
  /**
   * TensorFlow failed inside (e.g. oneDNN's "could not execute a primitive"): not the
   * input's fault, and gone in a fresh process; a supervisor starts the command again
   * (cli/supervise.ts). 70 is sysexits' EX_SOFTWARE.
   */
  nativeFault: 70,
  /** stopped by Ctrl-C (128 + SIGINT) */
  interrupted: 130,
} as const
