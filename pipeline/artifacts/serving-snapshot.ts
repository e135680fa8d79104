/**
 * The serving snapshot (format version 2, docs/snapshot-format.md § Serving snapshot) from a full graph
 * snapshot, the model's weights and the movie embeddings computed with them: what a visitor downloads
 * instead of the graph. The per-movie cache is exactly `buildVisitorCache` over the graph, the mean ratings
 * and the catalog's global mean exactly what `Catalog` computes from the edges, so a browser holding only
 * this file gets the same visitor embeddings, scores and catalog facts as one holding the graph.
 */
import type { ModelParams } from '../../src/core/model/params.ts';
import { checkShapes } from '../../src/core/model/forward.ts';
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
