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
*reference*). *Δ* = reference error - subject error, in percentage points (positive: the
subject is better); *paper Δ* is the same on the paper's numbers. Both rows are scored
on the same validation images, so a check is normally **paired** (*rule* \`paired (b vs c)\`):
per image, the difference of the two errors is +1 where only the subject is right (b
images), -1 where only the reference is right (c images), 0 where they agree; the 95% CI
of Δ is mean ± 1.96·sd/√n over the *n* images (a McNemar-type comparison: only the b + c
images that the rows disagree on carry noise). When a row's posterior file is missing,
unreadable or covers other images, the check is **unpaired** (the reason is given): the
CI is Δ ± sqrt(h₁² + h₂²), h being the half-width of each row's 95% Wilson interval,
which ignores the shared images and so leans towards "within noise".
- expected *lower error*: **holds** if the CI of Δ lies above 0, **fails** if it lies
  below 0, otherwise **within noise**.
- expected *not lower* (e.g. "LRN does not help"): "no effect" can be refuted, not
  proven. Paired: **holds** unless the subject is significantly better (CI above 0:
  **fails**). Unpaired: **holds** if Δ ≤ 0, **within noise** if Δ > 0 but the CI
  reaches 0, **fails** if the CI lies above 0.
- A claim **holds** when all its checks (each comparison on each metric the claim
  names) hold, **fails** when any fails, is **within noise** otherwise, and is
  **pending** while any of its rows has no result (not run, or failed).`

/** One-paragraph version for next to a claims table. */
export const SHORT_VERDICTS = `*holds*: the reproduced difference goes the paper's way beyond its 95% interval,
compared image by image on the shared validation images (for "does not help" claims:
no significant improvement); *fails*: it goes significantly the other way; *within
noise*: the data cannot tell; *pending*: a row it needs has no result yet.`
