/**
 * The serving snapshot (format version 2, docs/snapshot-format.md § Serving snapshot) from a full graph
 * snapshot, the model's weights and the movie embeddings computed with them: what a visitor downloads
 * instead of the graph. The per-movie cache is exactly `buildVisitorCache` over the graph, the mean ratings
 * and the catalog's global mean exactly what `Catalog` computes from the edges, so a browser holding only
 * this file gets the same visitor embeddings, scores and catalog facts as one holding the graph.
 */

import { checkShapes } from '../../src/core/model/forward.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { buildVisitorCache } from '../../src/core/model/visitor.ts';
import type { EmbeddingDtype, Snapshot } from '../../src/core/snapshot/format.ts';
import { writeServingSnapshot } from '../../src/core/snapshot/write-serving.ts';

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
}

export function buildServingSnapshot(src: ServingSnapshotSource): Uint8Array {
  const { snapshot, params } = src;
  const g = snapshot.graph;
  checkShapes(g, params);
  const cache = buildVisitorCache(g, params, src.movieEmb);
  const { meanRating, globalMeanRating } = catalogMeanRatings(g);
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
    },
    embedding: { dim: cache.dim, dtype: src.embeddingDtype, values: cache.movieEmb },
    modelSha256: src.modelSha256,
  });
}

/**
 * Each movie's mean stars (NaN for none) and the mean over every rating (3 with none), summed in the same
 * order and precision as `Catalog`'s constructor (src/core/catalog.ts), so the numbers are identical.
 */
export function catalogMeanRatings(g: Snapshot['graph']): { meanRating: Float32Array; globalMeanRating: number } {
  const meanRating = new Float32Array(g.numMovies).fill(Number.NaN);
  let total = 0;
  for (let m = 0; m < g.numMovies; m++) {
    let s = 0;
    for (let k = g.moviePtr[m]; k < g.moviePtr[m + 1]; k++) s += g.edgeRating[g.movieAdjEdge[k]];
    total += s;
    if (g.moviePtr[m + 1] > g.moviePtr[m]) meanRating[m] = s / (g.moviePtr[m + 1] - g.moviePtr[m]);
  }
  return { meanRating, globalMeanRating: g.numEdges > 0 ? total / g.numEdges : 3 };
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
  /** The data set has links.csv. */
  links: boolean;
  /** The two JSON sections' bytes (a few KB; exact when known). */
  metaBytes: number;
  featureSpecBytes: number;
}

/** The exact byte count of a serving snapshot of this shape (the container's layout, section by section). */
export function servingSnapshotSize(s: ServingShape): { total: number; sections: Record<string, number> } {
  const m = s.movies;
  const sections: Record<string, number> = {
    meta: s.metaBytes,
    featureSpec: s.featureSpecBytes,
    'movies.ids': 4 * m,
    'movies.titleOffsets': 4 * (m + 1),
    'movies.titles': s.titleBytes,
    'movies.year': 2 * m,
    'movies.genreMask': 4 * m * Math.ceil(s.genres / 32),
    'movies.popularity': 4 * m,
    'movies.meanRating': 4 * m,
    ...(s.links ? { 'movies.links': 8 * m } : {}),
    'movies.embedding': (s.embeddingDtype === 'f16' ? 2 : 4) * m * s.embeddingDim,
    'movies.features': 4 * m * s.movieFeatureDim,
    'visitor.neighbourSums': 8 * m * s.userFeatureDim * (s.ratingMessages ? 2 : 1),
    'visitor.degree': 4 * m,
  };
  const align = (n: number) => Math.ceil(n / 16) * 16;
  let total = align(64 + 64 * Object.keys(sections).length);
  for (const bytes of Object.values(sections)) total = align(total) + bytes;
  return { total: align(total), sections };
}
