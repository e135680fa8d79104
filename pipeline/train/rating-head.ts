/**
 * The rating head's training side (the prediction itself is src/core/model/predict.ts): its loss on
 * (user, movie, stars) pairs the step did not pass as messages, with gradients into the head's tensors
 * and into both embeddings, and the per-user mean offsets it reads. Costs O(users·B² + pairs·B).
 *
 *   pred = intercept + userBiasWeight·offset_u + movieBias[m] + z_mᵀ·Q·z_u      (B = baseEmbeddingDim)
 *   loss = weight · mean (pred − stars)²
 */
import type { FloatArray } from '../../src/core/model/params.ts';
import type { RatingHeadTensors } from './param-buffer.ts';

export interface RatingPairs {
  user: Int32Array;
  movie: Int32Array;
  stars: Float32Array;
}

/**
 * Each user's shrunk mean offset Σ(r − globalMean) / (n + shrink) over their edges in a user-major CSR
 * (the message edges of a step, or the graph a user is scored on).
 */
export function userOffsets(
  g: { numUsers: number; userPtr: Int32Array; edgeRating: ArrayLike<number> },
  globalMean: number,
  shrink: number,
): Float64Array {
  const out = new Float64Array(g.numUsers);
  for (let u = 0; u < g.numUsers; u++) {
    const a = g.userPtr[u];
    const b = g.userPtr[u + 1];
    let s = 0;
    for (let e = a; e < b; e++) s += g.edgeRating[e] - globalMean;
    out[u] = b > a ? s / (b - a + shrink) : 0;
  }
  return out;
}

/** Q·z_u (length B) for every user that appears in `pairs` (other rows stay 0). */
function projectUsers(
  q: ArrayLike<number>,
  b: number,
  userEmb: ArrayLike<number>,
  dim: number,
  numUsers: number,
  used: Uint8Array,
): Float64Array {
  const out = new Float64Array(numUsers * b);
  for (let u = 0; u < numUsers; u++) {
    if (!used[u]) continue;
    for (let i = 0; i < b; i++) {
      let s = 0;
      for (let j = 0; j < b; j++) s += q[i * b + j] * userEmb[u * dim + j];
      out[u * b + i] = s;
    }
  }
  return out;
}

/**
 * Adds weight·mean squared error of the head's predictions on `pairs` to the gradients and returns it.
 * `dim` is the embeddings' stride, `b` the width the bilinear term reads (their first b columns).
 */
export function ratingHeadLoss(
  head: RatingHeadTensors<FloatArray>,
  userEmb: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  b: number,
  offsets: Float64Array,
  pairs: RatingPairs,
  weight: number,
  grad: RatingHeadTensors<FloatArray>,
  dUser: FloatArray,
  dMovie: FloatArray,
): number {
  const n = pairs.user.length;
  if (n === 0 || weight === 0) return 0;
  const numUsers = offsets.length;
  const used = new Uint8Array(numUsers);
  for (let i = 0; i < n; i++) used[pairs.user[i]] = 1;
  const qz = projectUsers(head.bilinear, b, userEmb, dim, numUsers, used);
  // gm[u] = Σ over u's pairs of err·z_m: the bilinear term's gradient reaches z_u and Q through it.
  const gm = new Float64Array(numUsers * b);
  const [intercept, userWeight] = head.scalars;
  const scale = (2 * weight) / n;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const u = pairs.user[i];
    const m = pairs.movie[i];
    const mo = m * dim;
    const uo = u * b;
    let t = 0;
    for (let j = 0; j < b; j++) t += movieEmb[mo + j] * qz[uo + j];
    const err = intercept + userWeight * offsets[u] + head.movieBias[m] + t - pairs.stars[i];
    loss += err * err;
    const g = err * scale;
    grad.scalars[0] += g;
    grad.scalars[1] += g * offsets[u];
    grad.movieBias[m] += g;
    for (let j = 0; j < b; j++) {
      dMovie[mo + j] += g * qz[uo + j];
      gm[uo + j] += g * movieEmb[mo + j];
    }
  }
  // dQ[i][j] += gm_u[i]·z_u[j];  dz_u[j] += Σ_i Q[i][j]·gm_u[i].
  for (let u = 0; u < numUsers; u++) {
    if (!used[u]) continue;
    const uo = u * dim;
    for (let i = 0; i < b; i++) {
      const gi = gm[u * b + i];
      if (gi === 0) continue;
      const row = i * b;
      for (let j = 0; j < b; j++) {
        grad.bilinear[row + j] += gi * userEmb[uo + j];
        dUser[uo + j] += gi * head.bilinear[row + j];
      }
    }
  }
  return (weight * loss) / n;
}
