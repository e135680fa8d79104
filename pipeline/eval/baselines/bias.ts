/**
 * Bias (user + item), the star-prediction baseline: r̂_um = μ + b_u + b_m, clamped to the training star
 * range, with μ the training mean and the biases regularised least squares fitted by closed-form alternation
 *   b_m = Σ_{u∈U_m} (r_um − μ − b_u) / (λ_item + |U_m|),   b_u = Σ_{m∈I_u} (r_um − μ − b_m) / (λ_user + |I_u|)
 * (Koren 2009). A visitor's b_u is the second formula over their revealed ratings, the movie biases fixed.
 * λ_user and λ_item are tuned on the split's validation split (`validationSplit`: carved from the training
 * users' ratings only) by RMSE over a grid of pairs. As a ranker every user gets the movies by b_m: a popularity-like list.
 */
import type { RatingGraph } from '../../../src/core/graph.ts';
import type { Method, Recommender } from '../recommender.ts';
import { byRmse, tuneOnValidation } from '../tune.ts';

/** λ values tried for users and for items (every pair). */
export const BIAS_LAMBDA_GRID = [0.3, 1, 3, 10, 25, 50, 100];
const ITERATIONS = 20;

export interface BiasModel {
  mean: number;
  userBias: Float64Array;
  movieBias: Float64Array;
  lambdaUser: number;
  minStars: number;
  maxStars: number;
}

/** Fits μ, b_u and b_m on a graph's ratings (b_u = 0 start, `ITERATIONS` alternations). */
export function fitBiases(graph: RatingGraph, lambdaUser: number, lambdaItem: number): BiasModel {
  const r = graph.edgeRating;
  let sum = 0;
  for (let e = 0; e < graph.numEdges; e++) sum += r[e];
  const mean = graph.numEdges ? sum / graph.numEdges : 0;
  const userBias = new Float64Array(graph.numUsers);
  const movieBias = new Float64Array(graph.numMovies);
  for (let it = 0; it < ITERATIONS; it++) {
    for (let m = 0; m < graph.numMovies; m++) {
      let s = 0;
      for (let k = graph.moviePtr[m]; k < graph.moviePtr[m + 1]; k++) {
        s += r[graph.movieAdjEdge[k]] - mean - userBias[graph.movieAdjUser[k]];
      }
      movieBias[m] = s / (lambdaItem + graph.moviePtr[m + 1] - graph.moviePtr[m]);
    }
    for (let u = 0; u < graph.numUsers; u++) {
      const [start, end] = [graph.userPtr[u], graph.userPtr[u + 1]];
      userBias[u] = userBiasOf(
        mean,
        movieBias,
        lambdaUser,
        graph.edgeMovie.subarray(start, end),
        r.subarray(start, end),
      );
    }
  }
  let [minStars, maxStars] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let e = 0; e < graph.numEdges; e++) [minStars, maxStars] = [Math.min(minStars, r[e]), Math.max(maxStars, r[e])];
  return { mean, userBias, movieBias, lambdaUser, minStars, maxStars };
}

/** b_u for someone with these ratings, the movie biases fixed: Σ(r − μ − b_m) / (λ_user + n). */
function userBiasOf(
  mean: number,
  movieBias: Float64Array,
  lambdaUser: number,
  movies: ArrayLike<number>,
  ratings: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < movies.length; i++) s += ratings[i] - mean - movieBias[movies[i]];
  return s / (lambdaUser + movies.length);
}

/** The fitted model as a recommender: ranks by b_m, predicts μ + b_u + b_m clamped. */
export function biasRecommender(model: BiasModel): Recommender {
  const byMovie = Float32Array.from(model.movieBias);
  const predict = (bu: number, movies: Int32Array, out: Float32Array): void => {
    for (let i = 0; i < movies.length; i++) {
      const p = model.mean + bu + model.movieBias[movies[i]];
      out[i] = Math.min(model.maxStars, Math.max(model.minStars, p));
    }
  };
  return {
    scoreUser: (_u, out) => out.set(byMovie),
    scoreNewUser: (_m, _r, out) => out.set(byMovie),
    predictUser: (u, movies, out) => predict(model.userBias[u], movies, out),
    predictNewUser: (revealed, stars, movies, out) =>
      predict(userBiasOf(model.mean, model.movieBias, model.lambdaUser, revealed, stars), movies, out),
  };
}

export interface BiasOptions {
  /** Fixed λs (skip tuning). */
  lambdaUser?: number;
  lambdaItem?: number;
  grid?: number[];
}

export function userItemBias(opts: BiasOptions = {}): Method {
  return {
    name: 'Bias (user + item)',
    deterministic: true,
    async fit(ctx): Promise<Recommender> {
      const grid = opts.grid ?? BIAS_LAMBDA_GRID;
      const [lambdaUser, lambdaItem] =
        opts.lambdaUser !== undefined && opts.lambdaItem !== undefined
          ? [opts.lambdaUser, opts.lambdaItem]
          : await tuneOnValidation(ctx, {
              name: 'Bias',
              grid: grid.flatMap((lu) => grid.map((li): [number, number] => [lu, li])),
              fit: (val, [lu, li]) => biasRecommender(fitBiases(val.graph, lu, li)),
              ...byRmse,
            });
      return {
        ...biasRecommender(fitBiases(ctx.split.graph, lambdaUser, lambdaItem)),
        info: { lambdaUser, lambdaItem },
      };
    },
  };
}
