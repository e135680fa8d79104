/**
 * The exact single-user update (README § How it works, "Exact visitor update"). A visitor is a new user node v appended after the base
 * graph's users, with feature row x_v and edges to the movies they rated, carrying their stars. With the
 * weights fixed, v's embedding depends only on (s_vm = the signed weight of v's stars for m, params.ts
 * `edgeSign`; the signed halves exist only with rating-aware messages):
 *   h1_m' for each movie m v rated = relu(x_m·W1m.self + [(S_m + x_v), (T_m + s_vm·x_v)]/(deg_m + 1)·W1m.neigh + b1m)
 *   h1_v  = relu(x_v·W1u.self + [mean x_m, mean s_vm·x_m]·W1u.neigh + b1u)
 *   h2_v  = h1_v·W2u.self + [mean h1_m', mean s_vm·h1_m']·W2u.neigh + b2u,   z_v = combine(h1_v, h2_v)
 * (plus the constant 1 as the last column of z_v when the model has a movie score bias)
 * where S_m and T_m are the plain and signed sums of the base graph's neighbour user features of m and
 * deg_m its base degree. So the cache is: x_m (movie features + id embedding), [S_m, T_m] in float64,
 * deg_m, and the base movie embeddings z_m. Cost per update: O(visitor degree × dims²), independent of the
 * graph's size. Adding, changing (5 → 1 too) or removing a rating is just a recompute with the new list.
 *
 * Exactness: every sum is taken in the same order and precision as `forward` over the graph with v
 * appended (v is the last neighbour of each movie it rated; v's movies are visited in index order), so
 * z_v is bit-identical to the full forward's. Movies v has not rated keep their base embedding bit for bit
 * (their 2-hop neighbourhood does not contain v); movies v rated change, but they are excluded from v's
 * list, so scoring the cached z_m gives exactly the full forward's top-N. Pure: no DOM or Node imports.
 */
import type { ServingSnapshot } from '../snapshot/format.ts';
import { fromF16 } from './float16.ts';
import { forward, type MessageGraph, movieInputs } from './forward.ts';
import { combineEmbedding, edgeSigns, meanAggregate, sageDense } from './ops.ts';
import {
  edgeSign,
  embeddingDim,
  type ModelParams,
  movieInputDim,
  neighbourWidth,
  type VisitorParams,
} from './params.ts';

/** What must be kept from the base graph to update any visitor exactly. */
export interface VisitorCache {
  numMovies: number;
  userFeatureDim: number;
  /** Width of x_m. */
  movieInputDim: number;
  /** x_m = [movie features, id embedding], numMovies × movieInputDim. */
  movieX: Float32Array;
  /**
   * Per-movie sums of the base graph's neighbour user features, float64: S_m (numMovies × userFeatureDim),
   * or [S_m, T_m] (× 2·userFeatureDim) with rating-aware messages.
   */
  movieNeighSum: Float64Array;
  /** Base degree of each movie. */
  movieDeg: Int32Array;
  /** Embedding width D. */
  dim: number;
  /** Base movie embeddings z_m, numMovies × D (what visitors are scored against). */
  movieEmb: Float32Array;
  /**
   * Only in a cache filled row by row (`emptyVisitorCache`): 1 for the movies whose rows are in. A visitor's
   * embedding needs every rated movie's row.
   */
  hasRow?: Uint8Array;
}

/** Builds the cache from the base graph (one full forward unless its movie embeddings are given). */
export function buildVisitorCache(g: MessageGraph, p: ModelParams, movieEmb?: Float32Array): VisitorCache {
  const fu = g.userFeatureDim;
  const w = neighbourWidth(p.config, fu);
  const movieNeighSum = new Float64Array(g.numMovies * w);
  meanAggregate(
    g.moviePtr,
    g.movieAdjUser,
    g.userFeatures,
    fu,
    g.numMovies,
    new Float32Array(g.numMovies * w),
    movieNeighSum,
    edgeSigns(p.config, g)?.movie,
  );
  const movieDeg = new Int32Array(g.numMovies);
  for (let m = 0; m < g.numMovies; m++) movieDeg[m] = g.moviePtr[m + 1] - g.moviePtr[m];
  const dim = embeddingDim(p.config);
  const emb = movieEmb ?? forward(g, p).movieEmb;
  if (emb.length !== g.numMovies * dim) throw new RangeError('buildVisitorCache: movie embeddings have the wrong size');
  return {
    numMovies: g.numMovies,
    userFeatureDim: fu,
    movieInputDim: movieInputDim(p),
    movieX: movieInputs(g, p),
    movieNeighSum,
    movieDeg,
    dim,
    movieEmb: emb,
  };
}

/**
 * The cache from a serving snapshot instead of the graph: equal, array for array, to
 * `buildVisitorCache(graph, p, movieEmb)` over the graph the serving snapshot was built from, with the
 * weights the file carries (read from the model file its `meta.model.sha256` names, at build time). x_m is
 * rebuilt from the stored movie feature rows and id embeddings; S_m, T_m and the degrees are the stored
 * views (no copy); float16 embeddings are decoded to float32 (a new array), float32 ones are a view.
 */
export function visitorCacheFromServing(
  serving: Pick<ServingSnapshot, 'movies' | 'visitor' | 'embedding' | 'params' | 'idEmbedding'>,
): VisitorCache {
  const p = serving.params;
  const numMovies = serving.movies.ids.length;
  const e = serving.embedding;
  return {
    numMovies,
    userFeatureDim: serving.visitor.userFeatureDim,
    movieInputDim: movieInputDim(p),
    movieX: movieInputs(
      { numMovies, movieFeatureDim: serving.movies.featureDim, movieFeatures: serving.movies.features },
      { config: p.config, layer1: p.layer1, movieIdEmbedding: serving.idEmbedding },
    ),
    movieNeighSum: serving.visitor.neighbourSums,
    movieDeg: serving.visitor.degree,
    dim: e.dim,
    movieEmb: e.dtype === 'f32' ? e.values : fromF16(e.values),
  };
}

/** One movie's rows of the cache as stored in a serving snapshot (fetched by range before the rest arrives). */
export interface VisitorRow {
  movie: number;
  /** The movie's feature row (movieFeatureDim). */
  features: Float32Array;
  /** Its id-embedding row (movieIdEmbeddingDim; empty when the model has none). */
  idEmbedding: Float32Array;
  /** [S_m, T_m] (neighbour width), float64. */
  neighbourSums: Float64Array;
  degree: number;
}

/**
 * A cache with no movie rows yet, scored against `movieEmb` (the decoded codes of a serving snapshot): the
 * rows of the movies a visitor rates are filled by `setVisitorRows` before their embedding is computed, so
 * the embedding is exact; only the scores against `movieEmb` are approximate until the exact cache
 * replaces this one.
 */
export function emptyVisitorCache(p: VisitorParams, numMovies: number, movieEmb: Float32Array): Required<VisitorCache> {
  const dim = embeddingDim(p.config);
  if (movieEmb.length !== numMovies * dim)
    throw new RangeError('emptyVisitorCache: movie embeddings have the wrong size');
  return {
    numMovies,
    userFeatureDim: p.userFeatureDim,
    movieInputDim: movieInputDim(p),
    movieX: new Float32Array(numMovies * movieInputDim(p)),
    movieNeighSum: new Float64Array(numMovies * neighbourWidth(p.config, p.userFeatureDim)),
    movieDeg: new Int32Array(numMovies),
    dim,
    movieEmb,
    hasRow: new Uint8Array(numMovies),
  };
}

/** Fills movies' rows of a cache from `emptyVisitorCache` (x_m exactly as `movieInputs` lays it out). */
export function setVisitorRows(cache: Required<VisitorCache>, rows: readonly VisitorRow[]): void {
  const dx = cache.movieInputDim;
  const w = cache.movieNeighSum.length / cache.numMovies;
  for (const r of rows) {
    const m = r.movie;
    if (!(m >= 0 && m < cache.numMovies)) throw new RangeError(`setVisitorRows: movie index ${m} out of range`);
    if (r.features.length + r.idEmbedding.length !== dx || r.neighbourSums.length !== w) {
      throw new RangeError(`setVisitorRows: the rows of movie ${m} have the wrong widths`);
    }
    cache.movieX.set(r.features, m * dx);
    cache.movieX.set(r.idEmbedding, m * dx + r.features.length);
    cache.movieNeighSum.set(r.neighbourSums, m * w);
    cache.movieDeg[m] = r.degree;
    cache.hasRow[m] = 1;
  }
}

/**
 * The visitor's z (length D) for feature row `userRow` and their ratings: distinct movie indices `rated`
 * (any order) with the parallel `stars`. Equals row v of `forward` over the base graph with v and these
 * edges appended.
 */
export function visitorEmbedding(
  cache: VisitorCache,
  p: VisitorParams,
  userRow: Float32Array,
  rated: ArrayLike<number>,
  stars: ArrayLike<number>,
  out: Float32Array = new Float32Array(cache.dim),
): Float32Array {
  const fu = cache.userFeatureDim;
  const dx = cache.movieInputDim;
  const h = p.config.hiddenDim;
  if (userRow.length !== fu) throw new RangeError(`visitor feature row has ${userRow.length} columns, expected ${fu}`);
  if (stars.length !== rated.length) throw new RangeError(`${rated.length} rated movies but ${stars.length} stars`);
  const order = Array.from({ length: rated.length }, (_, i) => i).sort((a, b) => rated[a] - rated[b]);
  const movies = Int32Array.from(order, (i) => rated[i]);
  const signed = p.config.ratingMessages !== undefined;
  // Float32 like the graph's per-edge signs (ops.ts `edgeSigns`), so both paths multiply the same numbers.
  const sign = signed ? Float32Array.from(order, (i) => edgeSign(p.config, stars[i])) : null;
  for (let i = 0; i < movies.length; i++) {
    const m = movies[i];
    if (!(m >= 0 && m < cache.numMovies)) throw new RangeError(`movie index ${m} out of range`);
    if (i > 0 && movies[i - 1] === m) throw new RangeError(`movie index ${m} rated twice`);
  }
  const n = movies.length;

  // Layer 1 of each rated movie, with v as its last neighbour.
  const l1 = p.layer1;
  const wu = signed ? 2 * fu : fu;
  const agg = new Float32Array(wu);
  const movieH1 = new Float32Array(n * h);
  for (let i = 0; i < n; i++) {
    const m = movies[i];
    const deg = cache.movieDeg[m] + 1;
    const o = m * wu;
    for (let j = 0; j < fu; j++) agg[j] = (cache.movieNeighSum[o + j] + userRow[j]) / deg;
    if (sign) {
      const a = sign[i];
      for (let j = 0; j < fu; j++) agg[fu + j] = (cache.movieNeighSum[o + fu + j] + a * userRow[j]) / deg;
    }
    const x = cache.movieX.subarray(m * dx, (m + 1) * dx);
    sageDense(1, x, agg, l1.movie.self, l1.movie.neigh, l1.movie.bias, true, movieH1.subarray(i * h, (i + 1) * h));
  }

  // The visitor's own layers; its neighbour means run over local indices 0..n-1 in movie-index order.
  const ptr = Int32Array.of(0, n);
  const local = Int32Array.from({ length: n }, (_, i) => i);
  const ratedX = new Float32Array(n * dx);
  for (let i = 0; i < n; i++) ratedX.set(cache.movieX.subarray(movies[i] * dx, (movies[i] + 1) * dx), i * dx);
  const userAgg1 = new Float32Array(neighbourWidth(p.config, dx));
  meanAggregate(ptr, local, ratedX, dx, 1, userAgg1, undefined, sign);
  const userH1 = new Float32Array(h);
  sageDense(1, userRow, userAgg1, l1.user.self, l1.user.neigh, l1.user.bias, true, userH1);

  const userAgg2 = new Float32Array(neighbourWidth(p.config, h));
  meanAggregate(ptr, local, movieH1, h, 1, userAgg2, undefined, sign);
  const l2 = p.layer2;
  const userH2 = new Float32Array(p.config.outDim);
  sageDense(1, userH1, userAgg2, l2.user.self, l2.user.neigh, l2.user.bias, false, userH2);
  const one = p.config.movieScoreBias ? [1] : null;
  combineEmbedding(1, userH1, h, userH2, p.config.outDim, p.config.skip, p.config.normalize, out, null, one);
  return out;
}
