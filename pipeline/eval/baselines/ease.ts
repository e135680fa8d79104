/**
 * EASE (Steck 2019): a closed-form item × item linear model on the binary training matrix X,
 *   P = (XᵀX + λI)⁻¹,  B = I − P·diag(1/diag(P))   (so B[i][j] = −P[i][j]/P[j][j], B[j][j] = 0),
 * and a user (or visitor) with binary row x scores x·B. λ is tuned on a validation split carved from the
 * training part (`validationSplit`), never on the test users.
 *
 * The inverse is dense, n³/2 multiply-adds in TypeScript (1.7 s for ML-100K's 1,682 movies, ~6 min for
 * ml-latest-small's 9,742). Above `EASE_MAX_ITEMS` movies, EASE is fitted on the `EASE_MAX_ITEMS` movies with
 * the most training ratings (ties: lower index) and never recommends the others (their score is −1e30); the
 * info records how many movies it used. ML-100K is below the cap and uses every movie. The cap costs EASE
 * nothing measurable: on ml-latest-small's visitor split (λ = 100) 2,000 / 3,000 / 4,500 movies give
 * Recall@20 0.1324 / 0.1319 / 0.1318 and NDCG@20 0.2652 / 0.2654 / 0.2658 (the movies left out have fewer
 * than 5 training ratings, and λ keeps such movies out of a top 20 anyway), at 7 / 20 / 94 s per inverse.
 */
import type { RatingGraph } from '../../../src/core/graph.ts';
import { invertSpdInPlace } from '../linalg.ts';
import type { Method, Recommender } from '../recommender.ts';
import { byRecall, tuneOnValidation } from '../tune.ts';
import { gramMatrix, rowSumRecommender } from './item-matrix.ts';

/** Most movies EASE inverts over; larger catalogs keep their most-rated movies. */
export const EASE_MAX_ITEMS = 3000;

/** λ values tried on the validation split (log-spaced; the best on ML-100K lies well inside). */
export const EASE_LAMBDA_GRID = [25, 50, 100, 200, 400, 800, 1600];

/** B from a Gram matrix (consumed: inverted in place). */
export function easeFromGram(gram: Float64Array, n: number, lambda: number): Float32Array {
  for (let i = 0; i < n; i++) gram[i * n + i] += lambda;
  const p = invertSpdInPlace(gram, n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  }
  return b;
}

/** The EASE weight matrix B of a training graph, numMovies² row-major. */
export function easeMatrix(graph: RatingGraph, lambda: number): Float32Array {
  return easeFromGram(gramMatrix(graph), graph.numMovies, lambda);
}

/** The movie indices EASE is fitted on: all, or the `max` most-rated in training (sorted by index). */
export function easeItems(graph: RatingGraph, max = EASE_MAX_ITEMS): Int32Array | null {
  const n = graph.numMovies;
  if (n <= max) return null;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const deg = (m: number) => graph.moviePtr[m + 1] - graph.moviePtr[m];
  order.sort((a, b) => deg(b) - deg(a) || a - b);
  return order.slice(0, max).sort();
}

/** Gram matrix over `items` only (row-major items.length²). */
function subsetGram(graph: RatingGraph, items: Int32Array): Float64Array {
  const k = items.length;
  const local = new Int32Array(graph.numMovies).fill(-1);
  items.forEach((m, i) => {
    local[m] = i;
  });
  const g = new Float64Array(k * k);
  const row: number[] = [];
  for (let u = 0; u < graph.numUsers; u++) {
    row.length = 0;
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) {
      const l = local[graph.edgeMovie[e]];
      if (l >= 0) row.push(l);
    }
    for (const a of row) for (const b of row) g[a * k + b] += 1;
  }
  return g;
}

/** A score so low a movie outside EASE's items is never ranked above one inside. */
const OUTSIDE = -1e30;

/** The EASE recommender of a graph: over every movie, or over `easeItems` on a large catalog. */
export function easeRecommender(graph: RatingGraph, lambda: number, max = EASE_MAX_ITEMS) {
  const items = easeItems(graph, max);
  if (items === null) return rowSumRecommender(graph, easeMatrix(graph, lambda));
  const k = items.length;
  const b = easeFromGram(subsetGram(graph, items), k, lambda);
  const local = new Int32Array(graph.numMovies).fill(-1);
  items.forEach((m, i) => {
    local[m] = i;
  });
  const sub = new Float32Array(k);
  const score = (movies: ArrayLike<number>, out: Float32Array) => {
    sub.fill(0);
    for (let t = 0; t < movies.length; t++) {
      const l = local[movies[t]];
      if (l < 0) continue;
      const row = l * k;
      for (let j = 0; j < k; j++) sub[j] += b[row + j];
    }
    out.fill(OUTSIDE, 0, graph.numMovies);
    for (let j = 0; j < k; j++) out[items[j]] = sub[j];
  };
  return {
    scoreUser(u: number, out: Float32Array): void {
      score(graph.edgeMovie.subarray(graph.userPtr[u], graph.userPtr[u + 1]), out);
    },
    scoreNewUser(movies: Int32Array, _ratings: Float32Array, out: Float32Array): void {
      score(movies, out);
    },
  };
}

export interface EaseOptions {
  /** A fixed λ (skips tuning). */
  lambda?: number;
  /** λ values to tune over. */
  grid?: number[];
  /** Most movies inverted over (default `EASE_MAX_ITEMS`). */
  maxItems?: number;
}

export function ease(opts: EaseOptions = {}): Method {
  return {
    name: 'EASE',
    deterministic: true,
    async fit(ctx): Promise<Recommender> {
      const { split } = ctx;
      const max = opts.maxItems ?? EASE_MAX_ITEMS;
      let lambda = opts.lambda;
      let tuneMs = 0;
      if (lambda === undefined) {
        const t0 = performance.now();
        lambda = await tuneOnValidation(ctx, {
          name: 'EASE',
          grid: opts.grid ?? EASE_LAMBDA_GRID,
          fit: (val, l) => easeRecommender(val.graph, l, max),
          ...byRecall,
        });
        tuneMs = performance.now() - t0;
      }
      const t0 = performance.now();
      const rec = easeRecommender(split.graph, lambda, max);
      const fitMs = performance.now() - t0;
      ctx.log(`EASE ${split.name}: λ=${lambda}, B in ${(fitMs / 1000).toFixed(1)} s`);
      const items = easeItems(split.graph, max);
      return {
        ...rec,
        info: {
          lambda,
          ...(items ? { movies: items.length } : {}),
          inverseSeconds: round1(fitMs / 1000),
          tuneSeconds: round1(tuneMs / 1000),
        },
      };
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
