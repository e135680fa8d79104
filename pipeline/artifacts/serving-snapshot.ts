/**
 * The serving snapshot (format version 5, docs/snapshot-format.md § Serving snapshot) from a full graph
 * snapshot, the model's weights and the movie embeddings computed with them: what a visitor downloads
 * instead of the graph and the model. The scoring codes are a product quantisation of those embeddings. The per-movie cache is exactly `buildVisitorCache` over the graph, the mean ratings
 * and the catalog's global mean exactly what `Catalog` computes from the edges, so a browser holding only
 * this file gets the same visitor embeddings, scores and catalog facts as one holding the graph.
 */

import { createHash } from 'node:crypto';
import { graphMeanRatings } from '../../src/core/catalog.ts';
import { mostActiveUsers } from '../../src/core/graph.ts';
import { checkShapes, forward } from '../../src/core/model/forward.ts';
import { INIT } from '../../src/core/model/onnx-contract.ts';
import { readModelParams, readOnnxInitializers } from '../../src/core/model/onnx-weights.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { buildVisitorCache } from '../../src/core/model/visitor.ts';
import { raterListsOf } from '../../src/core/recommend/neighbours.ts';
import { encodeScalarCodes } from '../../src/core/recommend/scalar-codes.ts';
import { type EmbeddingDtype, SERVING_FORMAT_VERSION, type Snapshot } from '../../src/core/snapshot/format.ts';
import { readServingSnapshot, servingCatalogEnd, servingPersonalEnd } from '../../src/core/snapshot/read-serving.ts';
import { writeServingSnapshot } from '../../src/core/snapshot/write-serving.ts';
import type { ArtifactFile } from './manifest.ts';

export interface ServingSnapshotSource {
  /** The full graph snapshot (format version 1), read with `readSnapshot`. */
  snapshot: Snapshot;
  /** The weights as the browser reads them from the model file `modelSha256` names. */
  params: ModelParams;
  /** z_m of every movie from the full forward with `params` over `snapshot.graph` (numMovies × D). */
  movieEmb: Float32Array;
  /** Lower-case hex SHA-256 of that model file. */
  modelSha256: string;
  embeddingDtype: EmbeddingDtype;
  /** An int8 model file's id-embedding scale: the id embeddings are then stored in one byte each. */
  idEmbeddingScale?: Float32Array;
}

export function buildServingSnapshot(src: ServingSnapshotSource): Uint8Array {
  const { snapshot, params } = src;
  const g = snapshot.graph;
  checkShapes(g, params);
  const cache = buildVisitorCache(g, params, src.movieEmb);
  const { meanRating, globalMean: globalMeanRating } = graphMeanRatings(g);
  const movies = snapshot.movies;
  return writeServingSnapshot({
    dataset: snapshot.dataset,
    build: { ...snapshot.build, sourceSnapshot: snapshot.contentHash },
    spec: snapshot.featureSpec,
    counts: { users: g.numUsers, ratings: g.numEdges },
    globalMeanRating,
    movies: {
      ids: g.movieIds,
      titleOffsets: movies.titleOffsets,
      titleBytes: movies.titleBytes,
      year: movies.year,
      genreMask: movies.genreMask,
      popularity: movies.popularity,
      meanRating,
      features: g.movieFeatures,
      links: movies.links,
    },
    visitor: {
      neighbourSums: cache.movieNeighSum,
      degree: cache.movieDeg,
      ratingMessages: params.config.ratingMessages ?? null,
      raters: carriesRaters(g, params) ? g.movieAdjUser : null,
    },
    embedding: { dim: cache.dim, dtype: src.embeddingDtype, values: cache.movieEmb },
    params,
    codes: scoringCodes(cache.movieEmb, g.numMovies, cache.dim),
    ...(src.idEmbeddingScale ? { idEmbeddingScale: src.idEmbeddingScale } : {}),
    modelSha256: src.modelSha256,
  });
}

/**
 * Bits per value of the scoring codes (per-column scalar quantisation, one byte per value, gzip taking the
 * unused bits). Chosen on the ML-32M-shaped model's embeddings (docs/scaling.md § Scoring codes): the
 * fewest gzipped bytes whose top-20 recall against the exact embeddings, over 300 synthetic visitors,
 * passes 0.95 (6 bits: 0.964, 3.45 MB; 5 bits: 0.911; product quantisation at 33 B per movie: 0.78).
 */
export const SCORING_CODE_BITS = 6;

/** The embeddings' scoring codes. */
export function scoringCodes(movieEmb: Float32Array, numMovies: number, dim: number) {
  return encodeScalarCodes(movieEmb, numMovies, dim, SCORING_CODE_BITS);
}

/** The variants a serving snapshot is written for: the visitor path's (fp32; int8 to save data). */
export const SERVING_VARIANTS = ['fp32', 'int8'] as const;
export const servingFile = (variant: string) => `serving.${variant}.bin`;
/**
 * Movie embeddings are stored as f16 once f32 would take more than this: at ML-100K size f32 keeps scoring
 * exact (the engine tests compare against the full forward); the f16 top-20 overlap with f32 is 0.999
 * (test/unit/serving-snapshot-exact.test.ts), which pays at ML-32M size (22 MB of f32 embeddings).
 */
export const F16_EMBEDDINGS_ABOVE_BYTES = 8 * 1024 * 1024;

/**
 * The serving snapshot of one model file over `snapshot`, with its manifest entry: the TS forward with the
 * weights read back from the file (what a browser's forward would give), then `buildServingSnapshot`.
 */
export function servingArtifact(
  snapshot: Snapshot,
  model: { name: string; variant: string; bytes: Uint8Array },
  log: (line: string) => void,
): { bytes: Uint8Array; entry: ArtifactFile } {
  const t0 = performance.now();
  const params = readModelParams(model.bytes, model.name);
  const pass = forward(snapshot.graph, params);
  log(`    full-graph forward for ${servingFile(model.variant)}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bytes = buildServingSnapshot({
    snapshot,
    params,
    movieEmb: pass.movieEmb,
    modelSha256: createHash('sha256').update(model.bytes).digest('hex'),
    embeddingDtype: pass.movieEmb.length * 4 > F16_EMBEDDINGS_ABOVE_BYTES ? 'f16' : 'f32',
    idEmbeddingScale: readOnnxInitializers(model.bytes, model.name).initializers.get(`${INIT.movieIdEmbedding}.scale`)
      ?.values,
  });
  const g = snapshot.graph;
  // The catalog, then what the first personal list needs, are the file's prefixes: the manifest lets the
  // browser verify each before the rest arrives.
  const { sections } = readServingSnapshot(bytes, servingFile(model.variant));
  const catalogBytes = servingCatalogEnd(sections);
  const personalBytes = servingPersonalEnd(sections);
  const sha = (end: number) => createHash('sha256').update(bytes.subarray(0, end)).digest('hex');
  return {
    bytes,
    entry: {
      name: servingFile(model.variant),
      kind: 'serving',
      formatVersion: SERVING_FORMAT_VERSION,
      metadata: {
        variant: model.variant,
        model: model.name,
        users: g.numUsers,
        movies: g.numMovies,
        edges: g.numEdges,
        sampleUsers: mostActiveUsers(g, 30),
        catalogBytes,
        catalogSha256: sha(catalogBytes),
        personalBytes,
        personalSha256: sha(personalBytes),
      },
    },
  };
}

/** What a serving snapshot's size depends on (docs/snapshot-format.md § Serving snapshot, docs/scaling.md). */
export interface ServingShape {
  movies: number;
  /** F_u: user feature columns (ML-100K 28, "latest" data sets 7). */
  userFeatureDim: number;
  /** F_m: movie feature columns (genres + 3). */
  movieFeatureDim: number;
  genres: number;
  /** D, with the score-bias column when the model has one. */
  embeddingDim: number;
  embeddingDtype: EmbeddingDtype;
  /** The model has rating-aware messages (stores T_m next to S_m). */
  ratingMessages: boolean;
  /** All titles' UTF-8 bytes together. */
  titleBytes: number;
  /**
   * Bytes of the ids' and the title offsets' varint gaps (`encodeGaps`, src/core/snapshot/gaps.ts): one per
   * movie while ids are less than 128 apart and titles shorter than 128 bytes.
   */
  idBytes: number;
  titleOffsetBytes: number;
  /** The data set has links.csv. */
  links: boolean;
  /**
   * Bytes of the rater lists' varint gaps when the file carries them (`carriesRaters`; `encodeGaps`
   * gives the exact count, about one per rating); 0 or absent: none.
   */
  raterBytes?: number;
  /** Width I of the model's movie id embedding (0 for none). */
  idEmbeddingDim: number;
  /** The id embeddings are an int8 model's, stored in one byte each (plus their per-column scale). */
  idEmbeddingInt8?: boolean;
  /** Float32 values of the visitor model's dense weights (tens of thousands). */
  weightCount: number;
  /** The three JSON sections' bytes (a few KB; exact when known). */
  metaBytes: number;
  featureSpecBytes: number;
  paramsBytes: number;
}

/**
 * Whether the serving snapshot carries the graph's rater lists (`visitor.raters`, about a byte per rating): when
 * the model reads them (the ranking's neighbourhood term, the stars' residual correction) and the graph has
 * at most NEIGHBOUR_MAX_EDGES ratings (`raterListsOf`).
 */
export function carriesRaters(
  graph: Parameters<typeof raterListsOf>[0],
  params: { calibration: { neighbourWeight?: number; residualWeight?: number } },
): boolean {
  const c = params.calibration;
  return ((c.neighbourWeight ?? 0) !== 0 || (c.residualWeight ?? 0) !== 0) && raterListsOf(graph) !== null;
}

/** The exact byte count of a serving snapshot of this shape (the container's layout, section by section). */
export function servingSnapshotSize(s: ServingShape): { total: number; sections: Record<string, number> } {
  const m = s.movies;
  const sections: Record<string, number> = {
    meta: s.metaBytes,
    featureSpec: s.featureSpecBytes,
    'movies.ids': s.idBytes,
    'movies.titleOffsets': s.titleOffsetBytes,
    'movies.titles': s.titleBytes,
    'movies.year': 2 * m,
    'movies.genreMask': 4 * m * Math.ceil(s.genres / 32),
    'movies.popularity': 4 * m,
    'movies.meanRating': 4 * m,
    ...(s.links ? { 'movies.links': 8 * m } : {}),
    'model.params': s.paramsBytes,
    'model.weights': 4 * s.weightCount,
    'model.movieBias': 4 * m,
    'codes.min': 4 * s.embeddingDim,
    'codes.step': 4 * s.embeddingDim,
    'codes.values': m * s.embeddingDim,
    'movies.features': 4 * m * s.movieFeatureDim,
    ...(s.idEmbeddingDim > 0 ? { 'model.idEmbedding': (s.idEmbeddingInt8 ? 1 : 4) * m * s.idEmbeddingDim } : {}),
    ...(s.idEmbeddingDim > 0 && s.idEmbeddingInt8 ? { 'model.idEmbeddingScale': 4 * s.idEmbeddingDim } : {}),
    'visitor.neighbourSums': 8 * m * s.userFeatureDim * (s.ratingMessages ? 2 : 1),
    ...(s.raterBytes ? { 'visitor.raters': s.raterBytes } : {}),
    'movies.embedding': (s.embeddingDtype === 'f16' ? 2 : 4) * m * s.embeddingDim,
  };
  const align = (n: number) => Math.ceil(n / 16) * 16;
  let total = align(64 + 64 * Object.keys(sections).length);
  for (const bytes of Object.values(sections)) total = align(total) + bytes;
  return { total: align(total), sections };
}
