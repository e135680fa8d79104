/**
 * The rating calibration of params.ts after training: taken from the jointly trained rating head, or for a
 * model trained without one, fitted post hoc: least squares of the stars on
 * [1, score, user-mean offset] plus an L2-regularised per-movie bias, by alternating an exact 3×3 solve and
 * the closed-form biases. Fitted on validation edges scored by a forward over the graph without them (the
 * pairs are unseen, as at inference); on all edges when there is no validation split.
 */
import type { RatingGraph } from '../../src/core/graph.ts';
import { type ForwardResult, forward, type MessageGraph } from '../../src/core/model/forward.ts';
import type { FloatArray, ModelParams, RatingCalibration } from '../../src/core/model/params.ts';
import { predictRating, type UserRatingContext, userRatingContext } from '../../src/core/model/predict.ts';
import type { RatingHeadTensors } from './param-buffer.ts';
import { keepEdges } from './subgraph.ts';

/** L2 weight of each movie bias (pseudo-ratings at zero bias). */
export const MOVIE_BIAS_L2 = 5;

/** Solves the 3×3 system A·x = b (Cramer's rule; A is a Gram matrix with a small ridge). */
function solve3(a: number[][], b: number[]): number[] {
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(a);
  return [0, 1, 2].map((c) => det(a.map((row, r) => row.map((v, j) => (j === c ? b[r] : v)))) / d);
}

/** `trainMask[e]` = 1 for edges the model saw; the others are the fitting set. */
export function fitCalibration(graph: RatingGraph, trainMask: Uint8Array, params: ModelParams): RatingCalibration {
  let fitMask = trainMask.map((t) => 1 - t);
  let seen: MessageGraph = keepEdges(graph, trainMask);
  if (!fitMask.some((v) => v === 1)) {
    fitMask = new Uint8Array(graph.numEdges).fill(1);
    seen = graph;
    trainMask = fitMask;
  }
  const f = forward(seen, params);
  const d = f.dim;
  const scale = 1 / params.config.temperature;

  // Global and per-user means over the edges the model saw.
  let total = 0;
  let count = 0;
  const userSum = new Float64Array(graph.numUsers);
  const userCount = new Int32Array(graph.numUsers);
  for (let u = 0; u < graph.numUsers; u++) {
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) {
      if (!trainMask[e]) continue;
      userSum[u] += graph.edgeRating[e];
      userCount[u]++;
      total += graph.edgeRating[e];
      count++;
    }
  }
  const globalMean = count ? total / count : 3.5;

  const y: number[] = [];
  const s: number[] = [];
  const off: number[] = [];
  const mv: number[] = [];
  for (let u = 0; u < graph.numUsers; u++) {
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) {
      if (!fitMask[e]) continue;
      const m = graph.edgeMovie[e];
      let dot = 0;
      for (let j = 0; j < d; j++) dot += f.userEmb[u * d + j] * f.movieEmb[m * d + j];
      y.push(graph.edgeRating[e]);
      s.push(dot * scale);
      off.push(userCount[u] ? userSum[u] / userCount[u] - globalMean : 0);
      mv.push(m);
    }
  }
  let minStars = Number.POSITIVE_INFINITY;
  let maxStars = Number.NEGATIVE_INFINITY;
  for (let e = 0; e < graph.numEdges; e++) {
    minStars = Math.min(minStars, graph.edgeRating[e]);
    maxStars = Math.max(maxStars, graph.edgeRating[e]);
  }
  const movieBias = new Float64Array(graph.numMovies);
  let coef = [globalMean, 0, 0];
  for (let iter = 0; iter < 20; iter++) {
    const a = [
      [1e-6, 0, 0],
      [0, 1e-6, 0],
      [0, 0, 1e-6],
    ];
    const b = [0, 0, 0];
    for (let i = 0; i < y.length; i++) {
      const x = [1, s[i], off[i]];
      const t = y[i] - movieBias[mv[i]];
      for (let r = 0; r < 3; r++) {
        b[r] += x[r] * t;
        for (let c = 0; c < 3; c++) a[r][c] += x[r] * x[c];
      }
    }
    coef = solve3(a, b);
    const sum = new Float64Array(graph.numMovies);
    const n = new Float64Array(graph.numMovies);
    for (let i = 0; i < y.length; i++) {
      sum[mv[i]] += y[i] - (coef[0] + coef[1] * s[i] + coef[2] * off[i]);
      n[mv[i]]++;
    }
    for (let m = 0; m < graph.numMovies; m++) movieBias[m] = sum[m] / (n[m] + MOVIE_BIAS_L2);
  }
  return {
    globalMean,
    intercept: coef[0],
    slope: coef[1],
    userBiasWeight: coef[2],
    movieBias: Float32Array.from(movieBias),
    minStars: Number.isFinite(minStars) ? minStars : 1,
    maxStars: Number.isFinite(maxStars) ? maxStars : 5,
  };
}

/** The rating calibration of a jointly trained head (param-buffer.ts `RatingHeadTensors`). */
export function headCalibration(
  head: RatingHeadTensors<FloatArray>,
  globalMean: number,
  userShrink: number,
  stars: { min: number; max: number },
  rankBlend = 0,
): RatingCalibration {
  return {
    rankBlend,
    globalMean,
    intercept: head.scalars[0],
    slope: 0,
    userBiasWeight: head.scalars[1],
    userShrink,
    movieBias: Float32Array.from(head.movieBias),
    bilinear: Float32Array.from(head.bilinear),
    minStars: stars.min,
    maxStars: stars.max,
  };
}

/**
 * RMSE of `params`' predicted stars on the edges with trainMask[e] = 0, each user scored from `f` (the
 * forward over `seen`, the graph without those edges) and their ratings in `seen` — as at inference.
 */
export function calibrationRmse(
  graph: RatingGraph,
  trainMask: Uint8Array,
  seen: MessageGraph,
  f: ForwardResult,
  params: ModelParams,
): number {
  const d = f.dim;
  let se = 0;
  let n = 0;
  for (let u = 0; u < graph.numUsers; u++) {
    let ctx: UserRatingContext | null = null;
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) {
      if (trainMask[e]) continue;
      ctx ??= userRatingContext(
        params,
        f.userEmb.subarray(u * d, (u + 1) * d),
        seen.edgeRating.subarray(seen.userPtr[u], seen.userPtr[u + 1]),
      );
      const err = predictRating(params, ctx, f.movieEmb, graph.edgeMovie[e]) - graph.edgeRating[e];
      se += err * err;
      n++;
    }
  }
  return n > 0 ? Math.sqrt(se / n) : Number.NaN;
}
