/**
 * All trainable tensors of a model as views into one flat array, so the optimiser, weight decay, the
 * gradient (same layout) and save/load work on a single buffer, while the forward sees a `ModelParams`.
 */
import {
  baseEmbeddingDim,
  type FloatArray,
  type ModelConfig,
  type ModelParams,
  movieInputDim,
  neighbourWidth,
} from '../../src/core/model/params.ts';
import type { Rng } from './rng.ts';

export interface TensorSlot {
  name: string;
  offset: number;
  size: number;
  /** Weight matrices and id embeddings get weight decay; biases do not. */
  decay: boolean;
}

/**
 * The rating head's trainable part (params.ts `RatingCalibration`): Q (B×B), the per-movie star bias and
 * the scalars [intercept, userBiasWeight].
 */
export interface RatingHeadTensors<A extends FloatArray = Float32Array> {
  bilinear: A;
  movieBias: A;
  scalars: A;
}

export interface ParamBuffer<A extends FloatArray = Float32Array> {
  flat: A;
  params: ModelParams<A>;
  /** Present when the shape asks for a jointly trained rating head. */
  head: RatingHeadTensors<A> | null;
  tensors: TensorSlot[];
}

export interface ModelShape {
  config: ModelConfig;
  userFeatureDim: number;
  movieFeatureDim: number;
  numMovies: number;
  /** Allocate the rating head's tensors (trained jointly with the ranking loss). */
  ratingHead?: boolean;
}

/** Checks the config's internal consistency (skip 'sum' needs hiddenDim = outDim, …). */
export function validateConfig(c: ModelConfig): void {
  if (c.skip === 'sum' && c.hiddenDim !== c.outDim) throw new RangeError("skip 'sum' needs hiddenDim = outDim");
  if (!(c.temperature > 0)) throw new RangeError('temperature must be > 0');
  for (const k of ['hiddenDim', 'outDim', 'movieIdEmbeddingDim'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) throw new RangeError(`${k} must be a non-negative integer`);
  }
}

/** Allocates a zeroed buffer of the given element type with every tensor of the model. */
export function createParamBuffer<A extends FloatArray>(shape: ModelShape, make: (n: number) => A): ParamBuffer<A> {
  const c = shape.config;
  validateConfig(c);
  const dx = movieInputDim(shape);
  const fu = shape.userFeatureDim;
  const h = c.hiddenDim;
  const o = c.outDim;
  // Neighbour inputs of each conv (doubled by the signed channel of rating-aware messages).
  const nx = neighbourWidth(c, dx);
  const nu = neighbourWidth(c, fu);
  const nh = neighbourWidth(c, h);
  const b = baseEmbeddingDim(c);
  const head = shape.ratingHead === true;
  const plan: [string, number, boolean][] = [
    ['movieIdEmbedding', shape.numMovies * c.movieIdEmbeddingDim, true],
    ['layer1.user.self', fu * h, true],
    ['layer1.user.neigh', nx * h, true],
    ['layer1.user.bias', h, false],
    ['layer1.movie.self', dx * h, true],
    ['layer1.movie.neigh', nu * h, true],
    ['layer1.movie.bias', h, false],
    ['layer2.user.self', h * o, true],
    ['layer2.user.neigh', nh * o, true],
    ['layer2.user.bias', o, false],
    ['layer2.movie.self', h * o, true],
    ['layer2.movie.neigh', nh * o, true],
    ['layer2.movie.bias', o, false],
    ['movieScoreBias', c.movieScoreBias ? shape.numMovies : 0, false],
    ['rating.bilinear', head ? b * b : 0, false],
    ['rating.movieBias', head ? shape.numMovies : 0, false],
    ['rating.scalars', head ? 2 : 0, false],
  ];
  const tensors: TensorSlot[] = [];
  let offset = 0;
  for (const [name, size, decay] of plan) {
    tensors.push({ name, offset, size, decay });
    offset += size;
  }
  const flat = make(offset);
  const view = (i: number): A => flat.subarray(tensors[i].offset, tensors[i].offset + tensors[i].size) as A;
  const dense = (i: number, inDim: number, outDim: number) => ({ inDim, outDim, weight: view(i) });
  const params: ModelParams<A> = {
    config: { ...c },
    userFeatureDim: fu,
    movieFeatureDim: shape.movieFeatureDim,
    numMovies: shape.numMovies,
    movieIdEmbedding: view(0),
    movieScoreBias: view(13),
    layer1: {
      user: { self: dense(1, fu, h), neigh: dense(2, nx, h), bias: view(3) },
      movie: { self: dense(4, dx, h), neigh: dense(5, nu, h), bias: view(6) },
    },
    layer2: {
      user: { self: dense(7, h, o), neigh: dense(8, nh, o), bias: view(9) },
      movie: { self: dense(10, h, o), neigh: dense(11, nh, o), bias: view(12) },
    },
    calibration: identityCalibration(shape.numMovies),
  };
  return { flat, params, head: head ? { bilinear: view(14), movieBias: view(15), scalars: view(16) } : null, tensors };
}

/** A calibration that predicts the global mean (replaced by `fitCalibration` after training). */
export function identityCalibration(numMovies: number): ModelParams['calibration'] {
  return {
    globalMean: 3.5,
    intercept: 3.5,
    slope: 0,
    userBiasWeight: 0,
    movieBias: new Float32Array(numMovies),
    minStars: 1,
    maxStars: 5,
  };
}

/** Glorot-uniform weights, zero biases, N(0, 0.1²) id embeddings. */
export function initParams<A extends FloatArray>(buf: ParamBuffer<A>, rng: Rng): void {
  const p = buf.params;
  const glorot = (w: { inDim: number; outDim: number; weight: A }): void => {
    const limit = Math.sqrt(6 / (w.inDim + w.outDim));
    for (let i = 0; i < w.weight.length; i++) w.weight[i] = (2 * rng.float() - 1) * limit;
  };
  for (let i = 0; i < p.movieIdEmbedding.length; i++) p.movieIdEmbedding[i] = 0.1 * rng.normal();
  for (const layer of [p.layer1, p.layer2]) {
    for (const conv of [layer.user, layer.movie]) {
      glorot(conv.self);
      glorot(conv.neigh);
      conv.bias.fill(0);
    }
  }
}

/** A standalone Float32 copy of the parameters (own buffers), with the given calibration. */
export function exportParams(p: ModelParams<FloatArray>, calibration: ModelParams['calibration']): ModelParams {
  const f = (a: FloatArray) => Float32Array.from(a);
  const dense = (d: { inDim: number; outDim: number; weight: FloatArray }) => ({
    inDim: d.inDim,
    outDim: d.outDim,
    weight: f(d.weight),
  });
  const conv = (s: ModelParams<FloatArray>['layer1']['user']) => ({
    self: dense(s.self),
    neigh: dense(s.neigh),
    bias: f(s.bias),
  });
  return {
    config: { ...p.config },
    userFeatureDim: p.userFeatureDim,
    movieFeatureDim: p.movieFeatureDim,
    numMovies: p.numMovies,
    movieIdEmbedding: f(p.movieIdEmbedding),
    movieScoreBias: f(p.movieScoreBias),
    layer1: { user: conv(p.layer1.user), movie: conv(p.layer1.movie) },
    layer2: { user: conv(p.layer2.user), movie: conv(p.layer2.movie) },
    calibration,
  };
}
