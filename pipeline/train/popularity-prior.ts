/**
 * The ranking's popularity prior: score(u, m) = z_u·z_m / τ + β·log(1 + n_m), n_m the movie's number of
 * ratings in the training graph. It rides in the model as the per-movie score column (params.ts
 * `movieScoreBias`, c_m = τ·β·log(1 + n_m)), so the browser's ranking stays one dot product and the visitor
 * update stays exact (c_m is frozen with the snapshot, like the movie features). β is a trainer default chosen
 * on validation splits of both data sets (pipeline/train/README.md round 6).
 */
import type { MessageGraph } from '../../src/core/model/forward.ts';
import type { ModelParams } from '../../src/core/model/params.ts';

/** c_m = τ·β·log(1 + n_m) for every movie of `g` (n_m its degree there). */
export function priorColumn(g: Pick<MessageGraph, 'numMovies' | 'moviePtr'>, beta: number, tau: number): Float32Array {
  const out = new Float32Array(g.numMovies);
  for (let m = 0; m < g.numMovies; m++) out[m] = tau * beta * Math.log1p(g.moviePtr[m + 1] - g.moviePtr[m]);
  return out;
}

/** `params` with the prior of this β as its score column (none for β = 0), for the degrees of `g`. */
export function withPopularityPrior(
  params: ModelParams,
  g: Pick<MessageGraph, 'numMovies' | 'moviePtr'>,
  beta: number,
): ModelParams {
  if (beta === 0) return params;
  if (params.config.movieScoreBias) throw new Error('withPopularityPrior: the model already has a score column');
  return {
    ...params,
    config: { ...params.config, movieScoreBias: true },
    movieScoreBias: priorColumn(g, beta, params.config.temperature),
  };
}
