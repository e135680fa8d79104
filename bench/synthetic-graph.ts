/**
 * Deterministic synthetic rating graphs for the benchmarks: catalogs of any size with power-law (Zipf)
 * degrees on both sides.
 *
 * Item popularity follows weight (rank + 1)^-itemExponent, with ranks shuffled over item indices so that
 * popular items are not all adjacent in memory. User activity follows (rank + 1)^-userExponent on top of
 * a minimum degree, capped at a quarter of the catalog. Each user draws distinct items from the
 * popularity distribution. Feature rows are clones of real rows: synthetic item m copies the template
 * movie `m mod T` (content features, and in the model the same id-embedding row via `movieIndex`), and
 * synthetic user u copies template user `u mod U`. So the features have the real sparsity, and the
 * forward pass does exactly the work a real catalog of this shape would. Pure: no DOM or Node imports.
 */
import { Rng } from '../pipeline/train/rng.ts';
import { buildCsr, type RatingGraph } from '../src/core/graph.ts';

export interface SyntheticSpec {
  items: number;
  users: number;
  /** Target edge count (the result can be a little lower: degrees are capped). */
  edges: number;
  seed: number;
  /** Zipf exponent of item popularity. Default 0.9. */
  itemExponent?: number;
  /** Zipf exponent of user activity. Default 0.8. */
  userExponent?: number;
  /** Every user rates at least this many items. Default 5. */
  minUserDegree?: number;
}

/** Real feature rows to clone (e.g. the ML-100K snapshot's). */
export interface FeatureTemplates {
  numUsers: number;
  numMovies: number;
  userFeatureDim: number;
  movieFeatureDim: number;
  userFeatures: Float32Array;
  movieFeatures: Float32Array;
}

export interface SyntheticGraph {
  graph: RatingGraph;
  /** Template movie of each item: its feature row and the model's id-embedding row. */
  movieIndex: Int32Array;
}

/** Zipf weights over n ranks, assigned to a seeded random permutation of the indices; returns the CDF. */
function zipfCdf(n: number, exponent: number, rng: Rng): Float64Array {
  const perm = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) w[perm[r]] = (r + 1) ** -exponent;
  const cdf = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += w[i];
    cdf[i] = s;
  }
  for (let i = 0; i < n; i++) cdf[i] /= s;
  return cdf;
}

/** Smallest i with cdf[i] > u. */
function sample(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function syntheticGraph(spec: SyntheticSpec, t: FeatureTemplates): SyntheticGraph {
  const { items, users } = spec;
  const rng = new Rng(spec.seed);
  const minDeg = Math.min(spec.minUserDegree ?? 5, items);
  const cap = Math.max(minDeg, Math.floor(items / 4));

  // User degrees: the minimum plus a Zipf share of the remaining edges.
  const userCdf = zipfCdf(users, spec.userExponent ?? 0.8, rng);
  const degree = new Int32Array(users);
  const extra = Math.max(0, spec.edges - users * minDeg);
  for (let u = 0; u < users; u++) {
    const share = userCdf[u] - (u > 0 ? userCdf[u - 1] : 0);
    degree[u] = Math.min(cap, minDeg + Math.floor(extra * share));
  }

  // Each user's distinct items, drawn by popularity, stored user-major and sorted.
  const itemCdf = zipfCdf(items, spec.itemExponent ?? 0.9, rng);
  let total = 0;
  for (let u = 0; u < users; u++) total += degree[u];
  const user = new Int32Array(total);
  const movie = new Int32Array(total);
  let e = 0;
  const seen = new Set<number>();
  for (let u = 0; u < users; u++) {
    seen.clear();
    const start = e;
    for (let tries = 0; seen.size < degree[u] && tries < 30 * degree[u]; tries++) {
      const m = sample(itemCdf, rng.float());
      if (seen.has(m)) continue;
      seen.add(m);
      user[e] = u;
      movie[e++] = m;
    }
    movie.subarray(start, e).sort();
  }
  const n = e;
  const rating = new Float32Array(n);
  const time = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    rating[i] = 1 + rng.int(5);
    time[i] = 1_000_000_000 + i;
  }

  const movieIndex = Int32Array.from({ length: items }, (_, m) => m % t.numMovies);
  const userFeatures = new Float32Array(users * t.userFeatureDim);
  for (let u = 0; u < users; u++) {
    const src = (u % t.numUsers) * t.userFeatureDim;
    userFeatures.set(t.userFeatures.subarray(src, src + t.userFeatureDim), u * t.userFeatureDim);
  }
  const movieFeatures = new Float32Array(items * t.movieFeatureDim);
  for (let m = 0; m < items; m++) {
    const src = movieIndex[m] * t.movieFeatureDim;
    movieFeatures.set(t.movieFeatures.subarray(src, src + t.movieFeatureDim), m * t.movieFeatureDim);
  }
  return {
    graph: {
      numUsers: users,
      numMovies: items,
      userFeatureDim: t.userFeatureDim,
      movieFeatureDim: t.movieFeatureDim,
      userFeatures,
      movieFeatures,
      ...buildCsr(users, items, user.subarray(0, n), movie.subarray(0, n), rating, time),
      userIds: Int32Array.from({ length: users }, (_, i) => i + 1),
      movieIds: Int32Array.from({ length: items }, (_, i) => i + 1),
    },
    movieIndex,
  };
}

/** Degree summary of one side: max, median, and the share of nodes without edges. */
export function degreeStats(ptr: Int32Array): { max: number; median: number; isolated: number } {
  const n = ptr.length - 1;
  const d = Int32Array.from({ length: n }, (_, i) => ptr[i + 1] - ptr[i]).sort();
  let isolated = 0;
  while (isolated < n && d[isolated] === 0) isolated++;
  return { max: d[n - 1] ?? 0, median: d[n >> 1] ?? 0, isolated: n > 0 ? isolated / n : 0 };
}
