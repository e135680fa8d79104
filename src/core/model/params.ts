/**
 * The GraphSAGE model's shape and weights, shared by the trainer (pipeline), the ONNX exporter, the ONNX
 * weight reader and the TypeScript forward / exact visitor update. Pure: no DOM or Node imports.
 *
 * Architecture (README § How it works): heterogeneous 2-layer SAGE with mean aggregation over the user–movie graph,
 * PyG `SAGEConv` semantics per destination type and layer:
 *
 *   x_u = userFeatures[u]                              (users are inductive: no id embedding)
 *   x_m = [movieFeatures[m], movieIdEmbedding[m]]      (id embedding optional, dim may be 0)
 *   h1_u = relu(x_u·L1u.self + mean_{m∈N(u)} x_m·L1u.neigh + L1u.bias)
 *   h1_m = relu(x_m·L1m.self + mean_{u∈N(m)} x_u·L1m.neigh + L1m.bias)
 *   h2_u = h1_u·L2u.self + mean_{m∈N(u)} h1_m·L2u.neigh + L2u.bias
 *   h2_m = h1_m·L2m.self + mean_{u∈N(m)} h1_u·L2m.neigh + L2m.bias
 *   z    = skip 'none': h2 | 'sum': h1 + h2 | 'concat': [h1, h2]
 *   z    = normalize ? z / max(‖z‖, 1e-12) : z
 *   score(u, m) = (z_u · z_m) / temperature
 *
 * With `ratingMessages`, each mean_{n∈N(v)} h_n above becomes [mean h_n, mean s_e·h_n] (s_e the edge's
 * centred stars, see `edgeSign`): a 1-star rating pushes the destination away from what a 5-star one
 * pulls it towards, and a message still depends only on its own edge and its endpoints.
 *
 * With `movieScoreBias`, a per-movie score term rides along as one extra column so scoring stays a plain
 * dot product: users output [z_u, 1], movies [z_m, c_m] (c = `movieScoreBias`), hence
 * score = (z_u·z_m + c_m) / temperature, and the embedding width D grows by 1. The trainer fills it with the
 * popularity prior τ·β·log(1 + n_m) (pipeline/train/popularity-prior.ts), or learns it (optional).
 *
 * A node with no neighbours aggregates the zero vector. Weight matrices are row-major [inDim, outDim]
 * (y = x·W), the layout ONNX MatMul takes without a transpose.
 */

export type SkipMode = 'none' | 'sum' | 'concat';

/**
 * Storage of a weight tensor. Shipped and trained weights are Float32Array (the default everywhere); the
 * trainer's finite-difference gradient check runs the same code on Float64Array.
 */
export type FloatArray = Float32Array | Float64Array;

export interface ModelConfig {
  /** Width of h1 (layer 1 output). */
  hiddenDim: number;
  /** Width of h2 (layer 2 output); equals hiddenDim when skip is 'sum'. */
  outDim: number;
  /** Width of the learned movie id embedding; 0 for none. */
  movieIdEmbeddingDim: number;
  skip: SkipMode;
  /** L2-normalise z before the dot product. */
  normalize: boolean;
  /** Scores are divided by this (1 when not normalising). */
  temperature: number;
  /** Append the per-movie score bias column (users get a constant 1); absent means false. */
  movieScoreBias?: boolean;
  /**
   * Rating-aware messages: every neighbour mean gets a second, signed channel weighted by the edge's
   * centred stars s = (stars − center) / scale, so the neighbour input is [mean(h), mean(s·h)] and
   * `neigh.inDim` doubles. Absent: the model sees which movies were rated, not the stars.
   */
  ratingMessages?: { center: number; scale: number };
}

/** The signed weight of an edge with these stars (0 when the model has no rating-aware messages). */
export function edgeSign(c: ModelConfig, stars: number): number {
  const r = c.ratingMessages;
  return r ? (stars - r.center) / r.scale : 0;
}

/** Width of a neighbour mean over inputs `inDim` wide: doubled by the signed channel. */
export function neighbourWidth(c: ModelConfig, inDim: number): number {
  return c.ratingMessages ? 2 * inDim : inDim;
}

/** y = x·weight, weight row-major [inDim, outDim]. */
export interface Dense<A extends FloatArray = Float32Array> {
  inDim: number;
  outDim: number;
  weight: A;
}

/** One SAGEConv for one destination node type. */
export interface SageConvParams<A extends FloatArray = Float32Array> {
  self: Dense<A>;
  neigh: Dense<A>;
  bias: A;
}

/**
 * The rating head (the reference system's `predict_rating`, see predict.ts), trained jointly with the
 * ranking loss:
 *   stars = clamp(intercept + slope·score + userBiasWeight·offset_u + movieBias[m] + z_mᵀ·Q·z_u, min, max)
 * where offset_u = Σ(r − globalMean) / (n + userShrink) over the user's own ratings (0 with none) and
 * Q = `bilinear` (B×B, B = baseEmbeddingDim; Q[i·B + j] couples movie column i with user column j).
 */
export interface RatingCalibration {
  globalMean: number;
  intercept: number;
  slope: number;
  userBiasWeight: number;
  /** Pseudo-count shrinking a user's mean offset towards 0 (absent means 0). */
  userShrink?: number;
  /** Per movie index; zeros when not learned. */
  movieBias: Float32Array;
  /** B×B bilinear coupling of z_m and z_u; empty when the head has none. */
  bilinear?: Float32Array;
  /** Weight of the head's user-specific stars in the ranking (predict.ts `rankingQuery`); absent means 0. */
  rankBlend?: number;
  /**
   * Weight of the ranking's neighbourhood term (src/core/recommend/neighbours.ts), added to the model's
   * score where the artifacts carry the graph's rater lists; absent means 0. A ranking knob like rankBlend,
   * carried with the head's scalars; the predicted stars never read it.
   */
  neighbourWeight?: number;
  /**
   * The predicted stars' neighbourhood correction of the head's residuals (src/core/recommend/stars.ts):
   * its weight γ (absent or 0: none), the shrink λ of its similarity-weighted mean, the gate g of n/(n + g),
   * n the user's ratings, and the power p of its Jaccard similarities (absent means 1). Read where the
   * artifacts carry the rater lists, as neighbourWeight.
   */
  residualWeight?: number;
  residualShrink?: number;
  residualGate?: number;
  residualPower?: number;
  minStars: number;
  maxStars: number;
}

export interface ModelParams<A extends FloatArray = Float32Array> {
  config: ModelConfig;
  userFeatureDim: number;
  movieFeatureDim: number;
  numMovies: number;
  /** numMovies × movieIdEmbeddingDim, row-major; empty when movieIdEmbeddingDim is 0. */
  movieIdEmbedding: A;
  /** The extra score column c_m per movie (numMovies) when config.movieScoreBias; empty otherwise. */
  movieScoreBias: A;
  layer1: { user: SageConvParams<A>; movie: SageConvParams<A> };
  layer2: { user: SageConvParams<A>; movie: SageConvParams<A> };
  calibration: RatingCalibration;
}

/** Width of a movie's layer-0 input x_m. */
export function movieInputDim(p: Pick<ModelParams, 'movieFeatureDim' | 'config'>): number {
  return p.movieFeatureDim + p.config.movieIdEmbeddingDim;
}

/** Width of the combined (and normalised) layer outputs, without the score-bias column. */
export function baseEmbeddingDim(c: ModelConfig): number {
  return c.skip === 'concat' ? c.hiddenDim + c.outDim : c.outDim;
}

/** Width D of the final embedding: the base width, plus 1 with the movie score bias column. */
export function embeddingDim(c: ModelConfig): number {
  return baseEmbeddingDim(c) + (c.movieScoreBias ? 1 : 0);
}

/**
 * The weights the visitor path reads (the exact update, scoring, predicted stars): everything but the
 * per-movie tensors that only a full forward over the graph needs (x_m's id embeddings come with the cache).
 */
export type VisitorParams = Omit<ModelParams, 'movieIdEmbedding' | 'movieScoreBias'>;
