// The short legend that every report carries, so a reader never has to guess what a
// column or a verdict means.

export const TABLE_LEGEND = `**Columns.** Errors are percentages on the validation set. *paper top-1 / top-5* are the
published ILSVRC-2012 validation errors (*paper top-5 test*: test-set error, where given).
*top-1 [95% CI]* and *top-5 [95% CI]* are this run's errors with 95% Wilson score intervals
over the *n* validation images. *Δ* is reproduced minus paper (positive: the reproduction
has the higher error). A profile smaller than \`paper\` (fewer classes, smaller crops,
narrower nets) is not expected to match the paper's absolute numbers: compare the
*differences between rows*, which is what the claims check. *status*: \`ok\` (evaluated),
\`pending\` (not run yet), \`failed: <error>\` (a job of this row failed; the message
says which and why). *wall_s* (CSV only): the summed wall time of the row's jobs; a
training job shared by several rows counts in each of them.`

export const CLAIM_LEGEND = `**Verdicts.** Each claim is a list of comparisons between two rows (*subject* vs
*reference*). *Δ* = reference error - subject error (positive: the subject is better);
*paper Δ* is the same on the paper's numbers. *noise ±* = sqrt(h₁² + h₂²), where h is the
half-width of each row's 95% CI: the 95% half-width of a difference of two independent
estimates. Both rows are scored on the same images, so this overstates the noise and
the rule leans towards "within noise" rather than a false verdict.
- expected *lower error*: **holds** if Δ > noise, **fails** if Δ < -noise, otherwise
  **within noise**.
- expected *not lower* (e.g. "LRN does not help"): **holds** if Δ ≤ 0, **within noise** if
  0 < Δ ≤ noise, **fails** if Δ > noise.
- A claim **holds** when all its checks (each comparison on each metric the claim
  names) hold, **fails** when any fails, is **within noise** otherwise, and is
  **pending** while any of its rows has no result (not run, or failed).`

/** One-paragraph version for next to a claims table. */
export const SHORT_VERDICTS = `*holds*: the reproduced difference goes the paper's way by more than the noise of the
two 95% CIs (for "does not help" claims: no improvement seen); *fails*: it goes the
other way by more than that noise; *within noise*: the data cannot tell; *pending*: a
row it needs has no result yet.`
