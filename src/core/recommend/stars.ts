/**
 * Predicted stars as every path shows them: the rating head (src/core/model/predict.ts) plus an item-based
 * neighbourhood correction of the head's own errors on the user's ratings,
 *
 *   stars_j = clamp(head_j + γ · n/(n + g) · Σ_i cos(i, j)·(r_i − head_i) / (Σ_i cos(i, j) + λ))
 *
 * (γ = calibration.residualWeight, λ = residualShrink, g = residualGate, n the user's ratings, cos the
 * neighbourhood term's co-rating cosine over the training graph's rater lists) — the factor-plus-neighbourhood
 * idea of Koren (KDD 2008) on top of the GNN's head. The gate keeps it near zero for a visitor's first
 * ratings (whose residuals are noise) and lets it grow with their history (pipeline/train/README.md §
 * Round 8). Without rater lists or a weight it is the head alone. Pure: no DOM or Node imports.
 */
import type { VisitorParams } from '../model/params.ts';
import { predictRating, userRatingContext } from '../model/predict.ts';
import { cosineSum, type RaterLists, raterWeights } from './neighbours.ts';

/** Stars of movie m; `score` is the model's z_u·z_m / temperature when the caller already has it. */
export type StarPredictor = (movie: number, score?: number) => number;

/**
 * The predictor for a user with embedding `z` (null: none yet) and these ratings. Costs one pass over the
 * rated movies' rater lists when the correction is on, then O(|U_j|) per predicted movie.
 */
export function starPredictor(
  params: VisitorParams,
  z: Float32Array | null,
  movieEmb: Float32Array | null,
  rated: readonly { movie: number; stars: number }[],
  raters: RaterLists | null,
): StarPredictor {
  const c = params.calibration;
  const ctx = userRatingContext(
    params,
    z,
    rated.map((r) => r.stars),
  );
  const scale = 1 / (params.config.temperature || 1);
  const dim = z?.length ?? 0;
  const head = (m: number, score?: number): number => {
    let s = score;
    if (s === undefined) {
      s = 0;
      if (z && movieEmb) {
        for (let j = 0; j < dim; j++) s += z[j] * movieEmb[m * dim + j];
        s *= scale;
      }
    }
    return predictRating(params, ctx, movieEmb, m, s);
  };
  const weight = c.residualWeight ?? 0;
  if (!raters || weight === 0 || !z || rated.length === 0) return head;
  const movies = rated.map((r) => r.movie);
  const residual = raterWeights(
    raters,
    movies,
    rated.map((r) => r.stars - head(r.movie)),
  );
  const mass = raterWeights(
    raters,
    movies,
    movies.map(() => 1),
  );
  const n = rated.length;
  const k = (weight * n) / (n + (c.residualGate ?? 0));
  const shrink = c.residualShrink ?? 0;
  return (m, score) => {
    const denominator = cosineSum(raters, mass, m) + shrink;
    const correction = denominator > 0 ? (k * cosineSum(raters, residual, m)) / denominator : 0;
    return Math.min(c.maxStars, Math.max(c.minStars, head(m, score) + correction));
  };
}
