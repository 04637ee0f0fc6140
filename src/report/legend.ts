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

export const CLAIM_LEGEND = `**The verdict rule.** Each claim is a list of comparisons between two rows (*subject*
vs *reference*), judged on one declared metric (top-1 unless the claim says otherwise;
the other metric is shown below it and does not vote). *Δ* = reference error - subject
error, in percentage points (positive: the subject is better); *paper Δ* is the same on
the paper's numbers. The *effect* is Δ oriented the paper's way: Δ itself for "lower
error", and *margin - Δ* for "does not improve" claims, whose equivalence margin is
declared in \`experiments/claims.yaml\` with its reason.
- **Noise.** Both rows are scored on the same validation images, so Δ is normally
  **paired** (*rule* \`paired (b vs c)\`: b images only the subject gets right, c only the
  reference): its image-sample standard error is sd/√n of the per-image differences (a
  McNemar-type comparison). Unpaired checks (a posterior file missing or covering other
  images; the reason is given) use the rows' Wilson intervals, which leans towards
  "inconclusive". The **training-run** standard error (a second training with another
  seed moves an error too) is added in quadrature, as measured below, scaled by how
  many independently trained nets the two rows differ in (a fusion counts each member
  with its weight); *s.e. sample / runs* shows both. The 95% intervals are effect ± t ·
  the combined standard error, t being Student's 97.5% quantile at the Welch-Satterthwaite
  degrees of freedom of that sum (the training-run part is a standard deviation over few
  seeds: with 3 seeds t can exceed 4; without training-run noise t = 1.96), and the
  p-values use the same t distribution.
- **A comparison** goes the paper's way when its interval lies above 0, *contradicts*
  the paper when its one-sided p-value against the paper's direction stays below 2.5%
  after Holm's correction over the claim's comparisons (*Holm p against*: the adjusted
  p-value), and is inconclusive otherwise.
- **A claim holds** when the pooled effect (the mean over its comparisons, with its
  standard error from the per-image mean of their differences, and the mean of their
  training-run errors, the bound for fully correlated runs) lies above 0 beyond its 95%
  interval and no comparison contradicts it. It **fails** when a comparison contradicts
  it or the pooled effect lies below 0 beyond its interval, is **within noise**
  otherwise, and **pending** while any of its rows has no result.`

/** One-paragraph version for next to a claims table. */
export const SHORT_VERDICTS = `*holds*: averaged over its comparisons, the reproduced effect goes the paper's way
beyond its 95% interval (image sample and training-run noise), and no comparison
significantly contradicts it (Holm-corrected); *fails*: a comparison, or the average,
goes significantly the other way; *within noise*: the data cannot tell; *pending*: a
row it needs has no result yet.`
