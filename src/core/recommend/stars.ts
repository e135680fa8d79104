/**
 * Predicted stars as every path shows them: the rating head (src/core/model/predict.ts) plus an item-based
 * neighbourhood correction of the head's own errors on the user's ratings,
 *
 *   stars_j = clamp(head_j + γ · n/(n + g) · Σ_i s_ij·(r_i − head_i) / (Σ_i s_ij + λ)),   s_ij = J(i, j)^p
 *
 * (γ = calibration.residualWeight, λ = residualShrink, g = residualGate, p = residualPower, n the user's
 * ratings, J(i, j) = |U_i ∩ U_j| / |U_i ∪ U_j| the Jaccard overlap of the two movies' raters in the training
 * graph's rater lists) — the factor-plus-neighbourhood idea of Koren (KDD 2008) on top of the GNN's head. The
 * power sharpens the weights towards the few movies closest to j (Breese et al.'s case amplification); the
 * gate keeps the correction near zero for a visitor's first ratings (whose residuals are noise) and lets it
 * grow with their history (pipeline/train/README.md § Rounds 8–9). Without rater lists or a weight it is the
 * head alone. Pure: no DOM or Node imports.
 */
import type { VisitorParams } from '../model/params.ts';
import { predictRating, userRatingContext } from '../model/predict.ts';
import type { RaterLists } from './neighbours.ts';

/** Stars of movie m; `score` is the model's z_u·z_m / temperature when the caller already has it. */
export type StarPredictor = (movie: number, score?: number) => number;

/**
 * The predictor for a user with embedding `z` (null: none yet) and these ratings. Costs one pass over the
 * rated movies' rater lists when the correction is on, then, per predicted movie j, one pass over j's raters
 * and what each of them rated among the user's movies.
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
  const residual = rated.map((r) => r.stars - head(r.movie));
  const overlap = coRatings(raters, movies);
  const n = rated.length;
  const k = (weight * n) / (n + (c.residualGate ?? 0));
  const shrink = c.residualShrink ?? 0;
  const power = c.residualPower ?? 1;
  const { moviePtr } = raters;
  const degree = movies.map((m) => moviePtr[m + 1] - moviePtr[m]);
  return (m, score) => {
    const shared = overlap(m);
    const dj = moviePtr[m + 1] - moviePtr[m];
    let num = 0;
    let den = shrink;
    for (let i = 0; i < n; i++) {
      if (shared[i] === 0) continue;
      const s = (shared[i] / (degree[i] + dj - shared[i])) ** power;
      num += s * residual[i];
      den += s;
    }
    const correction = den > 0 ? (k * num) / den : 0;
    return Math.min(c.maxStars, Math.max(c.minStars, head(m, score) + correction));
  };
}

/**
 * |U_{movies[i]} ∩ U_j| for every i, for any movie j: an inverted index from each training user to the
 * positions of the listed movies they rated (built once, O(Σ_i |U_{movies[i]}|)), then one pass over j's
 * raters per call. The returned array is reused by the next call.
 */
export function coRatings(lists: RaterLists, movies: readonly number[]): (j: number) => Float64Array {
  const { moviePtr, users, numUsers } = lists;
  const start = new Int32Array(numUsers + 1);
  for (const m of movies) for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) start[users[a] + 1]++;
  for (let u = 0; u < numUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, numUsers);
  const position = new Int32Array(start[numUsers]);
  movies.forEach((m, i) => {
    for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) position[fill[users[a]]++] = i;
  });
  const shared = new Float64Array(movies.length);
  return (j) => {
    shared.fill(0);
    for (let a = moviePtr[j]; a < moviePtr[j + 1]; a++) {
      const u = users[a];
      for (let p = start[u]; p < start[u + 1]; p++) shared[position[p]]++;
    }
    return shared;
  };
}
