/**
 * The contract between the ONNX exporter (pipeline/onnx), the ONNX weight reader and the runtime
 * adapter: graph input/output names, the metadata key and its JSON shape, initializer names. Pure.
 *
 * Inputs (U users, M movies, E edges; int64 tensors are computed in TypeScript, never in the graph):
 *   user_features [U,Fu] f32, movie_features [M,Fm] f32 (absent when Fm = 0),
 *   movie_index [M] i64 (row of the id embedding per movie; absent without an id embedding),
 *   m2u_src [E] i64 / m2u_dst [E,1] i64: movie → user messages (source movie, destination user),
 *   u2m_src [E] i64 / u2m_dst [E,1] i64: user → movie messages (source user, destination movie),
 *   user_inv_deg [U,1] f32, movie_inv_deg [M,1] f32 (1/degree, 0 for isolated nodes),
 *   m2u_sign [E,1] f32 / u2m_sign [E,1] f32: each message's signed weight (params.ts `edgeSign` of its
 *   edge's stars), in the order of m2u_src / u2m_src (only with config.ratingMessages).
 * Outputs: user_embedding [U,D] f32, movie_embedding [M,D] f32 (z of params.ts, before temperature; with
 * config.movieScoreBias the last column is 1 for users and the `movie_score_bias` initializer for movies).
 */
import type { ModelConfig, RatingCalibration } from './params.ts';

export type ModelVariant = 'fp32' | 'int8' | 'fp16';

export const MODEL_INPUTS = {
  userFeatures: 'user_features',
  movieFeatures: 'movie_features',
  movieIndex: 'movie_index',
  m2uSrc: 'm2u_src',
  m2uDst: 'm2u_dst',
  u2mSrc: 'u2m_src',
  u2mDst: 'u2m_dst',
  userInvDeg: 'user_inv_deg',
  movieInvDeg: 'movie_inv_deg',
  m2uSign: 'm2u_sign',
  u2mSign: 'u2m_sign',
} as const;

export const MODEL_OUTPUTS = { user: 'user_embedding', movie: 'movie_embedding' } as const;

/** `metadata_props` key whose value is `ModelMetadata` as JSON. */
export const MODEL_METADATA_KEY = 'cinesage.model';

export interface ModelMetadata {
  format: 1;
  variant: ModelVariant;
  config: ModelConfig;
  userFeatureDim: number;
  movieFeatureDim: number;
  numMovies: number;
  calibration: Omit<RatingCalibration, 'movieBias' | 'bilinear'>;
}

/**
 * Initializer names. A weight W is stored as `W` (f32 or f16), or for int8 as `W.q` (int8 [rows,cols]),
 * `W.scale` (f32 [cols]) and `W.zero` (int8 zeros): W = q·scale per column.
 */
export const INIT = {
  movieIdEmbedding: 'movie_id_embedding',
  movieBias: 'calibration.movie_bias',
  /** [B,B] f32: the rating head's Q (RatingCalibration.bilinear), when it has one. */
  ratingBilinear: 'calibration.bilinear',
  /** [M,1] f32: the movie score-bias column appended to movie_embedding (config.movieScoreBias). */
  movieScoreBias: 'movie_score_bias',
  conv: (layer: 1 | 2, side: 'user' | 'movie', part: 'self' | 'neigh' | 'bias') => `l${layer}.${side}.${part}`,
} as const;
