// The text of the native backend's faults (docs/reliability.md, issue 21), in one place for
// the two scripts that read logs: scripts/crash-loop.mjs (which counts a heap fault apart from
// a TensorFlow-internal error) and .ci/crashed-files.mjs (which reruns a test file for either).
// src/cli/supervise.ts cannot import this file (it is outside src/'s rootDir); its
// isNativeFault uses TF_INTERNAL_ERROR's pattern, and test/cli/native-fault.test.ts keeps the
// two equal.

/** glibc's heap checks and the shell's report of a crash: the heap is corrupt. */
export const HEAP_FAULT = /malloc\(\)|double free|corrupted (double-linked|size vs)|free\(\): invalid|munmap_chunk\(\)|Segmentation fault|Aborted \(core dumped\)/i

/**
 * An error TensorFlow raises from inside a kernel or its executor, never on our input: oneDNN's
 * "could not execute a primitive" (max pooling at a job's first step, CI's Slurm test), and the
 * executor's type check, "Output 0 of type INVALID does not match declared output type float
 * for node MatMul_117" (kill-resume's fp32 child, CI 2026-12-07). Not the "oneDNN custom
 * operations are on" banner every run prints.
 */
export const TF_INTERNAL_ERROR = /could not execute a primitive|Compute received an exception|Session fail to run with error|does not match declared output type|mkl_[a-z_]+\.cc/i

/** Either kind. */
export const isNativeFaultText = (text) => HEAP_FAULT.test(text) || TF_INTERNAL_ERROR.test(text)
