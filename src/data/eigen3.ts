// Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations
// (exact enough in a few sweeps, and no linear-algebra dependency).

export interface Eigen3 {
  /** eigenvalues, descending */
  values: number[]
  /** vectors[k] is the unit eigenvector of values[k] */
  vectors: number[][]
}

export function symmetricEigen3(m: number[][]): Eigen3 {
  const a = m.map((row) => row.slice())
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2
    if (off < 1e-30 * (a[0][0] ** 2 + a[1][1] ** 2 + a[2][2] ** 2 + 1e-300)) break
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (a[p][q] === 0) continue
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
      const c = 1 / Math.sqrt(t * t + 1)
      const s = t * c
      for (let k = 0; k < 3; k++) {
        // A <- A J (columns p, q)
        const akp = a[k][p]
        const akq = a[k][q]
        a[k][p] = c * akp - s * akq
        a[k][q] = s * akp + c * akq
      }
      for (let k = 0; k < 3; k++) {
        // A <- J^T A (rows p, q)
        const apk = a[p][k]
        const aqk = a[q][k]
        a[p][k] = c * apk - s * aqk
        a[q][k] = s * apk + c * aqk
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p]
        const vkq = v[k][q]
        v[k][p] = c * vkp - s * vkq
        v[k][q] = s * vkp + c * vkq
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i])
  const vectors = order.map((i) => {
    const vec = [v[0][i], v[1][i], v[2][i]]
    // Fixed sign (largest component positive) so the cached JSON is stable.
    const big = vec.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0)
    return big < 0 ? vec.map((x) => -x) : vec
  })
  return {values: order.map((i) => a[i][i]), vectors}
}
