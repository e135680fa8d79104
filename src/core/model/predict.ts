/**
 * The reference system's `predict_rating`: predicted stars for a (user, movie) pair from the model's
 * rating head (`RatingCalibration` in params.ts), trained jointly with the ranking loss. Pure: no DOM or
 * Node imports.
 *
 *   stars = clamp(intercept + slope·score + userBiasWeight·offset_u + movieBias[m] + z_uᵀ·Q·z_m, min, max)
 *
 * where score = z_u·z_m / temperature, Q = calibration.bilinear (B×B over the first B = baseEmbeddingDim
 * columns of z; empty for none) and offset_u = Σ(r − globalMean) / (n + userShrink) over the user's own
 * ratings (0 with none): a new visitor's bias is shrunk towards the mean until they have rated enough.
 */
import { baseEmbeddingDim, type VisitorParams } from './params.ts';

/** What the head needs of one user, computed once per list: their shrunk offset and Qᵀ·z_u. */
export interface UserRatingContext {
  offset: number;
  /** Q applied to the user's z (length B), or null when the head has no bilinear term or no z is known. */
  qz: Float32Array | null;
}

/** The user-mean offset of someone with these ratings (0 with none), shrunk by `userShrink`. */
export function userMeanOffset(params: VisitorParams, ratings: ArrayLike<number>): number {
  if (ratings.length === 0) return 0;
  const c = params.calibration;
  let s = 0;
  for (let i = 0; i < ratings.length; i++) s += ratings[i] - c.globalMean;
  return s / (ratings.length + (c.userShrink ?? 0));
}

/** Q·z over the first B columns of z (length B), or null when the head has no bilinear term. */
function bilinearTimes(params: VisitorParams, z: ArrayLike<number>): Float32Array | null {
  const q = params.calibration.bilinear;
  const b = baseEmbeddingDim(params.config);
  if (!q || q.length !== b * b) return null;
  const out = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = 0; j < b; j++) s += q[i * b + j] * z[j];
    out[i] = s;
  }
  return out;
}

/** The context for a user with embedding `z` (null: no embedding yet) and these stars. */
export function userRatingContext(
  params: VisitorParams,
  z: ArrayLike<number> | null,
  ratings: ArrayLike<number>,
): UserRatingContext {
  const qz = z ? bilinearTimes(params, z) : null;
  return { offset: userMeanOffset(params, ratings), qz };
}

/**
 * Predicted stars of movie `movieIndex` for the user of `ctx`; `movieEmb` holds every movie's z (stride
 * embeddingDim) and `score` is z_u·z_m / temperature (0 when the user has no embedding).
 */
export function predictRating(
  params: VisitorParams,
  ctx: UserRatingContext,
  movieEmb: ArrayLike<number> | null,
  movieIndex: number,
  score = 0,
): number {
  const c = params.calibration;
  const bias = movieIndex >= 0 && movieIndex < c.movieBias.length ? c.movieBias[movieIndex] : 0;
  let stars = c.intercept + c.slope * score + c.userBiasWeight * ctx.offset + bias;
  if (ctx.qz && movieEmb) {
    const b = ctx.qz.length;
    const stride = movieEmb.length / c.movieBias.length;
    const o = movieIndex * stride;
    for (let j = 0; j < b; j++) stars += ctx.qz[j] * movieEmb[o + j];
  }
  return Math.min(c.maxStars, Math.max(c.minStars, stars));
}

/**
 * The vector a user's list is ranked with: q = z_u + τ·λ·Q·z_u over the first B columns, so that
 * q·z_m / τ = z_u·z_m / τ + λ·z_mᵀ·Q·z_u — the model's relevance plus λ times the rating head's
 * user-specific stars (λ = calibration.rankBlend, chosen on validation users; 0 or no head: q = z_u).
 * Ranking stays one dot product against the cached movie embeddings (exact scoring and the ANN alike),
 * and a movie whose pull comes from the visitor's dislikes is predicted few stars and drops.
 */
export function rankingQuery(
  params: VisitorParams,
  z: Float32Array,
  blend = params.calibration.rankBlend ?? 0,
): Float32Array {
  const qz = blend ? bilinearTimes(params, z) : null;
  if (!qz) return z;
  const out = Float32Array.from(z);
  const k = params.config.temperature * blend;
  for (let i = 0; i < qz.length; i++) out[i] += k * qz[i];
  return out;
}
