// Slurm job states as squeue (and sacct, where accounting exists) print them, and
// what they mean for the graph: still going, crashed without saying why, or over.

export interface SlurmJobState {
  /** e.g. PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT */
  state: string
  /** squeue's %r, e.g. Dependency, DependencyNeverSatisfied, NonZeroExitCode ('' when unknown) */
  reason: string
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED'])

/** Ended without our code writing why (killed, time limit, lost node): the runner records it. */
const CRASHED = new Set(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE'])

/**
 * Still queued or running. A job pending on a dependency that can never be met
 * (a parent failed and --kill-on-invalid-dep did not apply) counts as over.
 */
export function isActive(s: SlurmJobState | undefined): boolean {
  if (s === undefined || TERMINAL.has(s.state)) return false
  return !(s.state === 'PENDING' && s.reason === 'DependencyNeverSatisfied')
}

export function isCrashed(s: SlurmJobState | undefined): boolean {
  return s !== undefined && CRASHED.has(s.state)
}

/** Lines of `squeue -h -t all -o '%i|%T|%r'`. */
export function parseSqueue(text: string): Map<string, SlurmJobState> {
  const out = new Map<string, SlurmJobState>()
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|')
    if (id && state) out.set(id, {state, reason: reason === 'None' || reason === undefined ? '' : reason})
  }
  return out
}

/** Lines of `sacct -n -X -P -o JobID,State,Reason`; State may read "CANCELLED by 0". */
export function parseSacct(text: string): Map<string, SlurmJobState> {
  const out = new Map<string, SlurmJobState>()
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|')
    if (id && state && /^\d+$/.test(id)) out.set(id, {state: state.split(' ')[0], reason: reason === 'None' || reason === undefined ? '' : reason})
  }
  return out
}

export function formatState(s: SlurmJobState | undefined): string {
  if (s === undefined) return 'unknown'
  return s.reason ? `${s.state} (${s.reason})` : s.state
}
