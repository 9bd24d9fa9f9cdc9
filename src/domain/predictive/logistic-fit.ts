/**
 * The optimiser of the logistic regression: minimises the mean log-loss + ½‖w‖²/(C·n) (scikit-learn's
 * objective; the intercept, parameter 0, is not penalised) over a design of dense columns and one-hot
 * index columns. Newton's method with the exact Hessian when the parameters are few (quadratic
 * convergence to the exact optimum in a handful of passes), L-BFGS otherwise.
 */

/** Column-major design: dense columns (standardised numerics, 0/1 indicators) and one-hot columns. */
export interface Design {
  rows: number
  /** dense[j] is parameter 1 + j's column. */
  dense: Float64Array[]
  /** sparse[k][i] = the parameter whose one-hot column is 1 in row i for categorical k, −1 for none. */
  sparse: Int32Array[]
  /** Parameters: [intercept, dense…, one-hot…]. */
  size: number
  /** The one-hot parameters of each categorical (with its missing column, if any). */
  groups: Int32Array[]
}

export interface FitOptions {
  C: number
  maxIter: number
  /** Stop when the largest gradient component is below this. */
  tol: number
}

/** Above this many parameters the Hessian's factorisation costs more than L-BFGS's extra passes. */
const newtonLimit = 600

/** The weights minimising the penalised mean log-loss. */
export function fitWeights(design: Design, y: Uint8Array, opts: FitOptions): Float64Array {
  return design.size <= newtonLimit ? newton(design, y, opts) : lbfgs(design, y, opts)
}

function marginsOf(design: Design, theta: Float64Array, out: Float64Array) {
  const n = design.rows
  out.fill(theta[0] as number)
  for (let j = 0; j < design.dense.length; j++) {
    const w = theta[1 + j] as number
    const column = design.dense[j] as Float64Array
    if (w === 0) continue
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + w * (column[i] as number)
  }
  for (const column of design.sparse) {
    for (let i = 0; i < n; i++) {
      const p = column[i] as number
      if (p >= 0) out[i] = (out[i] as number) + (theta[p] as number)
    }
  }
}

/**
 * The objective and its gradient at theta; afterwards `residuals` holds σ(margin) − y per row and
 * `margins` the margins.
 */
function objective(
  design: Design,
  y: Uint8Array,
  C: number,
  theta: Float64Array,
  grad: Float64Array,
  margins: Float64Array,
  residuals: Float64Array,
): number {
  const n = design.rows
  marginsOf(design, theta, margins)
  let loss = 0
  let g0 = 0
  for (let i = 0; i < n; i++) {
    const m = margins[i] as number
    const label = y[i] as number
    // One exponential per row: softplus(m) = max(m, 0) + log(1 + e^−|m|), σ(m) from the same e.
    const e = Math.exp(-Math.abs(m))
    loss += Math.max(m, 0) + Math.log(1 + e) - label * m
    const r = (m >= 0 ? 1 / (1 + e) : e / (1 + e)) - label
    residuals[i] = r
    g0 += r
  }
  grad.fill(0)
  grad[0] = g0
  for (let j = 0; j < design.dense.length; j++) {
    const column = design.dense[j] as Float64Array
    let g = 0
    for (let i = 0; i < n; i++) g += (residuals[i] as number) * (column[i] as number)
    grad[1 + j] = g
  }
  for (const column of design.sparse) {
    for (let i = 0; i < n; i++) {
      const p = column[i] as number
      if (p >= 0) grad[p] = (grad[p] as number) + (residuals[i] as number)
    }
  }
  let penalty = 0
  grad[0] = g0 / n
  for (let k = 1; k < theta.length; k++) {
    const w = theta[k] as number
    penalty += w * w
    grad[k] = (grad[k] as number) / n + w / (C * n)
  }
  return loss / n + penalty / (2 * C * n)
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number)
  return s
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] as number))
  return m
}

/** The Hessian of the objective (size × size, row-major) at the margins given. */
function hessian(design: Design, C: number, margins: Float64Array): Float64Array {
  const n = design.rows
  const size = design.size
  const h = new Float64Array(size * size)
  const dense = design.dense.length
  const width = 1 + dense + design.sparse.length
  const index = new Int32Array(width)
  const value = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    const m = margins[i] as number
    const e = Math.exp(-Math.abs(m))
    const w = e / ((1 + e) * (1 + e))
    // The row's non-zero entries, in increasing parameter order (one-hot offsets follow the dense ones).
    let nnz = 0
    index[nnz] = 0
    value[nnz++] = 1
    for (let j = 0; j < dense; j++) {
      const x = (design.dense[j] as Float64Array)[i] as number
      if (x === 0) continue
      index[nnz] = 1 + j
      value[nnz++] = x
    }
    for (const column of design.sparse) {
      const p = column[i] as number
      if (p < 0) continue
      index[nnz] = p
      value[nnz++] = 1
    }
    for (let a = 0; a < nnz; a++) {
      const wa = w * (value[a] as number)
      const row = (index[a] as number) * size
      for (let b = a; b < nnz; b++) {
        const at = row + (index[b] as number)
        h[at] = (h[at] as number) + wa * (value[b] as number)
      }
    }
  }
  for (let a = 0; a < size; a++) {
    for (let b = a; b < size; b++) {
      const v = (h[a * size + b] as number) / n
      h[a * size + b] = v
      h[b * size + a] = v
    }
    if (a > 0) h[a * size + a] = (h[a * size + a] as number) + 1 / (C * n)
  }
  return h
}

/** Solves H·x = b for a symmetric positive definite H (Cholesky, in place on a copy); null if not PD. */
function solve(h: Float64Array, b: Float64Array): Float64Array | null {
  const size = b.length
  const l = Float64Array.from(h)
  for (let j = 0; j < size; j++) {
    let d = l[j * size + j] as number
    for (let k = 0; k < j; k++) d -= (l[j * size + k] as number) ** 2
    if (!(d > 0)) return null
    d = Math.sqrt(d)
    l[j * size + j] = d
    for (let i = j + 1; i < size; i++) {
      let v = l[i * size + j] as number
      for (let k = 0; k < j; k++) v -= (l[i * size + k] as number) * (l[j * size + k] as number)
      l[i * size + j] = v / d
    }
  }
  const x = Float64Array.from(b)
  for (let i = 0; i < size; i++) {
    let v = x[i] as number
    for (let k = 0; k < i; k++) v -= (l[i * size + k] as number) * (x[k] as number)
    x[i] = v / (l[i * size + i] as number)
  }
  for (let i = size - 1; i >= 0; i--) {
    let v = x[i] as number
    for (let k = i + 1; k < size; k++) v -= (l[k * size + i] as number) * (x[k] as number)
    x[i] = v / (l[i * size + i] as number)
  }
  return x
}

/** Newton's method with a backtracking line search; falls back to L-BFGS if the Hessian is not PD. */
function newton(design: Design, y: Uint8Array, opts: FitOptions): Float64Array {
  const size = design.size
  const margins = new Float64Array(design.rows)
  const residuals = new Float64Array(design.rows)
  let theta = new Float64Array(size)
  let grad = new Float64Array(size)
  let value = objective(design, y, opts.C, theta, grad, margins, residuals)
  let next = new Float64Array(size)
  let nextGrad = new Float64Array(size)
  for (let iter = 0; iter < opts.maxIter && maxAbs(grad) > opts.tol; iter++) {
    const h = hessian(design, opts.C, margins)
    for (let k = 0; k < size; k++) h[k * size + k] = (h[k * size + k] as number) * (1 + 1e-12)
    const step = solve(h, grad)
    if (!step) return lbfgs(design, y, opts)
    const slope = -dot(grad, step)
    let t = 1
    let nextValue = value
    for (let tries = 0; tries < 50; tries++) {
      for (let k = 0; k < size; k++) next[k] = (theta[k] as number) - t * (step[k] as number)
      nextValue = objective(design, y, opts.C, next, nextGrad, margins, residuals)
      if (nextValue <= value + 1e-4 * t * slope) break
      t /= 2
    }
    if (!(nextValue <= value)) break
    ;[theta, next] = [next, theta]
    ;[grad, nextGrad] = [nextGrad, grad]
    value = nextValue
  }
  return theta
}

/**
 * The one-hot columns of a categorical (those with training rows) sum to 1 in every row, like the
 * intercept: moving all their weights by c and the intercept by −c changes no margin, only the tiny
 * penalty, which makes the problem badly conditioned for L-BFGS. The optimum has them summing to 0,
 * so L-BFGS works in that subspace (weights and gradient centred per group).
 */
function centre(groups: readonly Int32Array[], values: Float64Array) {
  for (const group of groups) {
    let sum = 0
    for (const p of group) sum += values[p] as number
    const mean = group.length > 0 ? sum / group.length : 0
    for (const p of group) values[p] = (values[p] as number) - mean
  }
}

/** Limited-memory BFGS (10 pairs) with a backtracking Armijo line search; the objective is convex. */
function lbfgs(design: Design, y: Uint8Array, opts: FitOptions): Float64Array {
  const size = design.size
  const memory = 10
  const margins = new Float64Array(design.rows)
  const residuals = new Float64Array(design.rows)
  const f = (theta: Float64Array, grad: Float64Array) => {
    const value = objective(design, y, opts.C, theta, grad, margins, residuals)
    centre(design.groups, grad)
    return value
  }
  let theta = new Float64Array(size)
  let grad = new Float64Array(size)
  let value = f(theta, grad)
  const ss: Float64Array[] = []
  const ys: Float64Array[] = []
  const rhos: number[] = []
  const direction = new Float64Array(size)
  const alphas = new Float64Array(memory)
  let next = new Float64Array(size)
  let nextGrad = new Float64Array(size)
  for (let iter = 0; iter < opts.maxIter && maxAbs(grad) > opts.tol; iter++) {
    // Two-loop recursion: direction = −H·grad.
    for (let k = 0; k < size; k++) direction[k] = -(grad[k] as number)
    for (let m = ss.length - 1; m >= 0; m--) {
      const a = (rhos[m] as number) * dot(ss[m] as Float64Array, direction)
      alphas[m] = a
      const yv = ys[m] as Float64Array
      for (let k = 0; k < size; k++) direction[k] = (direction[k] as number) - a * (yv[k] as number)
    }
    if (ss.length > 0) {
      const last = ss.length - 1
      const yv = ys[last] as Float64Array
      const gamma = dot(ss[last] as Float64Array, yv) / dot(yv, yv)
      for (let k = 0; k < size; k++) direction[k] = (direction[k] as number) * gamma
    }
    for (let m = 0; m < ss.length; m++) {
      const b = (rhos[m] as number) * dot(ys[m] as Float64Array, direction)
      const sv = ss[m] as Float64Array
      const a = alphas[m] as number
      for (let k = 0; k < size; k++) {
        direction[k] = (direction[k] as number) + (a - b) * (sv[k] as number)
      }
    }
    let slope = dot(grad, direction)
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      ss.length = 0
      ys.length = 0
      rhos.length = 0
      for (let k = 0; k < size; k++) direction[k] = -(grad[k] as number)
      slope = dot(grad, direction)
    }
    let step = ss.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1
    let nextValue = Number.POSITIVE_INFINITY
    for (let tries = 0; tries < 40; tries++) {
      for (let k = 0; k < size; k++) {
        next[k] = (theta[k] as number) + step * (direction[k] as number)
      }
      nextValue = f(next, nextGrad)
      if (nextValue <= value + 1e-4 * step * slope) break
      step /= 2
    }
    if (!(nextValue <= value)) break
    const s = new Float64Array(size)
    const yv = new Float64Array(size)
    for (let k = 0; k < size; k++) {
      s[k] = (next[k] as number) - (theta[k] as number)
      yv[k] = (nextGrad[k] as number) - (grad[k] as number)
    }
    const sy = dot(s, yv)
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(yv, yv))) {
      if (ss.length === memory) {
        ss.shift()
        ys.shift()
        rhos.shift()
      }
      ss.push(s)
      ys.push(yv)
      rhos.push(1 / sy)
    }
    const improvement = value - nextValue
    ;[theta, next] = [next, theta]
    ;[grad, nextGrad] = [nextGrad, grad]
    value = nextValue
    if (improvement <= 1e-16 * Math.max(1, Math.abs(value))) break
  }
  return theta
}
