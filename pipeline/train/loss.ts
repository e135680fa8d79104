/**
 * Ranking losses over sampled (user, positive, K negatives) groups, with their gradient with respect to
 * the embeddings. score = z_u·z_m · scale (scale = 1/temperature).
 *  - 'bpr':     mean over the K negatives of softplus(s⁻ − s⁺)
 *  - 'softmax': sampled softmax, −log(exp s⁺ / (exp s⁺ + Σ exp s⁻))
 *  - 'full-softmax': softmax over every movie, −log(exp s⁺ / Σ_m exp s_m) (negatives unused; one pass
 *    over all movies per distinct user of the batch)
 * All are averaged over the groups.
 */
import type { FloatArray } from '../../src/core/model/params.ts';

export type LossKind = 'bpr' | 'softmax' | 'full-softmax';

export interface Groups {
  user: Int32Array;
  pos: Int32Array;
  /** groups × negatives, row-major. */
  neg: Int32Array;
  negatives: number;
  /**
   * Every group of a user has the same negatives (rows of `neg` equal): 'softmax' then scores them once
   * per user instead of once per group (same loss, far less work).
   */
  shared?: boolean;
  /**
   * Shared negatives only, optional: group i's negatives (and negLogWeight) are row negRow[i] of `neg`, so
   * `neg` holds one row per user instead of one per group (memory ∝ users × K, not groups × K).
   */
  negRow?: Int32Array;
  /**
   * Optional, same shape as `neg`: a constant added to each negative's logit (log of its weight in the
   * softmax denominator), e.g. log w for a user's own disliked movies used as hard negatives. 'softmax' only.
   */
  negLogWeight?: Float32Array;
}

function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j] * b[bo + j];
  return s;
}

function axpy(alpha: number, x: ArrayLike<number>, xo: number, y: FloatArray, yo: number, d: number): void {
  for (let j = 0; j < d; j++) y[yo + j] += alpha * x[xo + j];
}

/** d(score)/d(z_u) = z_m and d(score)/d(z_m) = z_u, each scaled by g: adds both into the gradients. */
function addScoreGradient(
  g: number,
  userEmb: ArrayLike<number>,
  uo: number,
  movieEmb: ArrayLike<number>,
  mo: number,
  dUser: FloatArray,
  dMovie: FloatArray,
  dim: number,
): void {
  axpy(g, movieEmb, mo, dUser, uo, dim);
  axpy(g, userEmb, uo, dMovie, mo, dim);
}

/** Group indices ordered by user (then by index), so each user's groups are contiguous. */
function groupsByUser(groups: Groups): Int32Array {
  return Int32Array.from({ length: groups.user.length }, (_, i) => i).sort(
    (a, b) => groups.user[a] - groups.user[b] || a - b,
  );
}

/** Returns the mean loss and accumulates its gradient into dUser / dMovie. */
export function rankingLoss(
  kind: LossKind,
  userEmb: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  scale: number,
  groups: Groups,
  dUser: FloatArray,
  dMovie: FloatArray,
): number {
  if (kind === 'full-softmax') return fullSoftmaxLoss(userEmb, movieEmb, dim, scale, groups, dUser, dMovie);
  if (kind === 'softmax' && groups.shared)
    return sharedSoftmaxLoss(userEmb, movieEmb, dim, scale, groups, dUser, dMovie);
  const n = groups.user.length;
  const k = groups.negatives;
  const s = new Float64Array(k + 1);
  const ds = new Float64Array(k + 1);
  let total = 0;
  const inv = 1 / n;
  for (let i = 0; i < n; i++) {
    const uo = groups.user[i] * dim;
    const po = groups.pos[i] * dim;
    s[0] = dot(userEmb, uo, movieEmb, po, dim) * scale;
    const off = kind === 'softmax' ? groups.negLogWeight : undefined;
    for (let q = 0; q < k; q++) {
      s[q + 1] = dot(userEmb, uo, movieEmb, groups.neg[i * k + q] * dim, dim) * scale + (off ? off[i * k + q] : 0);
    }
    if (kind === 'bpr') {
      ds[0] = 0;
      for (let q = 1; q <= k; q++) {
        const x = s[q] - s[0];
        // softplus(x) and its derivative sigmoid(x), stable for large |x|.
        total += (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) / k;
        const sig = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        ds[q] = sig / k;
        ds[0] -= sig / k;
      }
    } else {
      let max = s[0];
      for (let q = 1; q <= k; q++) if (s[q] > max) max = s[q];
      let z = 0;
      for (let q = 0; q <= k; q++) z += Math.exp(s[q] - max);
      total += max + Math.log(z) - s[0];
      for (let q = 0; q <= k; q++) ds[q] = Math.exp(s[q] - max) / z;
      ds[0] -= 1;
    }
    for (let q = 0; q <= k; q++) {
      const g = ds[q] * scale * inv;
      if (g === 0) continue;
      const mo = (q === 0 ? groups.pos[i] : groups.neg[i * k + q - 1]) * dim;
      addScoreGradient(g, userEmb, uo, movieEmb, mo, dUser, dMovie, dim);
    }
  }
  return total * inv;
}

/** Sampled softmax when each user's groups share one set of negatives (the first group's row is used). */
function sharedSoftmaxLoss(
  userEmb: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  scale: number,
  groups: Groups,
  dUser: FloatArray,
  dMovie: FloatArray,
): number {
  const n = groups.user.length;
  const k = groups.negatives;
  const order = groupsByUser(groups);
  const sNeg = new Float64Array(k);
  const eNeg = new Float64Array(k);
  const coef = new Float64Array(k);
  const inv = 1 / n;
  let total = 0;
  for (let start = 0; start < n; ) {
    const u = groups.user[order[start]];
    let end = start;
    while (end < n && groups.user[order[end]] === u) end++;
    const uo = u * dim;
    const no = (groups.negRow ? groups.negRow[order[start]] : order[start]) * k;
    let negMax = Number.NEGATIVE_INFINITY;
    const off = groups.negLogWeight;
    for (let q = 0; q < k; q++) {
      sNeg[q] = dot(userEmb, uo, movieEmb, groups.neg[no + q] * dim, dim) * scale + (off ? off[no + q] : 0);
      if (sNeg[q] > negMax) negMax = sNeg[q];
      coef[q] = 0;
    }
    for (let q = 0; q < k; q++) eNeg[q] = Math.exp(sNeg[q] - negMax);
    for (let i = start; i < end; i++) {
      const po = groups.pos[order[i]] * dim;
      const s0 = dot(userEmb, uo, movieEmb, po, dim) * scale;
      const max = Math.max(s0, negMax);
      const shift = Math.exp(negMax - max);
      let z = Math.exp(s0 - max);
      const e0 = z;
      for (let q = 0; q < k; q++) z += eNeg[q] * shift;
      total += max + Math.log(z) - s0;
      const g = (e0 / z - 1) * scale * inv;
      addScoreGradient(g, userEmb, uo, movieEmb, po, dUser, dMovie, dim);
      const w = shift / z;
      for (let q = 0; q < k; q++) coef[q] += eNeg[q] * w;
    }
    for (let q = 0; q < k; q++) {
      const g = coef[q] * scale * inv;
      if (g === 0) continue;
      const mo = groups.neg[no + q] * dim;
      addScoreGradient(g, userEmb, uo, movieEmb, mo, dUser, dMovie, dim);
    }
    start = end;
  }
  return total * inv;
}

function fullSoftmaxLoss(
  userEmb: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  scale: number,
  groups: Groups,
  dUser: FloatArray,
  dMovie: FloatArray,
): number {
  const n = groups.user.length;
  const numMovies = movieEmb.length / dim;
  const order = groupsByUser(groups);
  const s = new Float64Array(numMovies);
  const ds = new Float64Array(numMovies);
  const inv = 1 / n;
  let total = 0;
  for (let start = 0; start < n; ) {
    const u = groups.user[order[start]];
    let end = start;
    while (end < n && groups.user[order[end]] === u) end++;
    const c = end - start;
    const uo = u * dim;
    let max = Number.NEGATIVE_INFINITY;
    for (let m = 0; m < numMovies; m++) {
      s[m] = dot(userEmb, uo, movieEmb, m * dim, dim) * scale;
      if (s[m] > max) max = s[m];
    }
    let z = 0;
    for (let m = 0; m < numMovies; m++) z += Math.exp(s[m] - max);
    const lse = max + Math.log(z);
    for (let m = 0; m < numMovies; m++) ds[m] = c * Math.exp(s[m] - lse);
    for (let i = start; i < end; i++) {
      const p = groups.pos[order[i]];
      total += lse - s[p];
      ds[p] -= 1;
    }
    for (let m = 0; m < numMovies; m++) {
      const g = ds[m] * scale * inv;
      axpy(g, movieEmb, m * dim, dUser, uo, dim);
      axpy(g, userEmb, uo, dMovie, m * dim, dim);
    }
    start = end;
  }
  return total * inv;
}
