// Rank of the true class among the scores, computed on the backend so only an
// int32 per image comes back. Tie rule (deterministic, same order as a stable
// descending sort / tf.topk): among equal scores the lower class index ranks
// first. A NaN score ranks below every number; a NaN true-class score gets rank
// `classes` (always an error). Top-k correct <=> rank < k.
import * as tf from '@tensorflow/tfjs-core'

export function trueClassRanks(scores: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, classes] = scores.shape
    const nan = tf.isNaN(scores)
    const clean = tf.where(nan, tf.fill([n, classes], -Infinity), scores)
    const isTrue = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'bool')
    const trueScore = tf.max(tf.where(isTrue, clean, tf.fill([n, classes], -Infinity)), 1, true)
    const trueIsNaN = tf.any(tf.logicalAnd(isTrue, nan), 1)
    const greater = tf.sum(tf.cast(tf.greater(clean, trueScore), 'int32'), 1)
    const before = tf.less(tf.reshape(tf.range(0, classes, 1, 'int32'), [1, classes]), tf.reshape(tf.cast(labels, 'int32'), [n, 1]))
    const tiesBefore = tf.sum(tf.cast(tf.logicalAnd(tf.equal(clean, trueScore), before), 'int32'), 1)
    const rank = tf.add(greater, tiesBefore)
    return tf.where(trueIsNaN, tf.fill([n], classes, 'int32'), rank) as tf.Tensor1D
  })
}

/** Host copy of the ranks of `data` ([n, classes] row-major), in chunks to bound backend memory. */
export function ranksOf(data: Float32Array, labels: Int32Array, classes: number, chunkRows = 8192): Int32Array {
  const n = labels.length
  const out = new Int32Array(n)
  for (let start = 0; start < n; start += chunkRows) {
    const rows = Math.min(chunkRows, n - start)
    const ranks = tf.tidy(() =>
      trueClassRanks(
        tf.tensor2d(data.subarray(start * classes, (start + rows) * classes), [rows, classes]),
        tf.tensor1d(labels.subarray(start, start + rows), 'int32'),
      ),
    )
    out.set(ranks.dataSync() as Int32Array, start)
    ranks.dispose()
  }
  return out
}
