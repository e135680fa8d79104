/**
 * Dense item × item helpers shared by the neighbourhood baselines (ItemKNN, its centred variant, EASE): the
 * Gram matrix XᵀX of a graph's user × movie matrix (binary, or with a weight per edge), cosine similarity
 * from it, and scoring a user as the (weighted) sum of the matrix rows of the movies they rated (x·M).
 */
import type { RatingGraph } from '../../../src/core/graph.ts';
import { topN } from '../../../src/core/recommend/rank.ts';

/**
 * G = XᵀX, numMovies × numMovies row-major, where X[u][m] is the weight of edge (u, m) (`edgeWeight`,
 * parallel to the user-major edges) or 1: binary, G[i][j] is the number of users who rated both i and j.
 */
export function gramMatrix(graph: RatingGraph, edgeWeight?: Float32Array): Float64Array {
  const n = graph.numMovies;
  const g = new Float64Array(n * n);
  for (let u = 0; u < graph.numUsers; u++) {
    const start = graph.userPtr[u];
    const end = graph.userPtr[u + 1];
    for (let a = start; a < end; a++) {
      const row = graph.edgeMovie[a] * n;
      const wa = edgeWeight ? edgeWeight[a] : 1;
      for (let b = start; b < end; b++) g[row + graph.edgeMovie[b]] += wa * (edgeWeight ? edgeWeight[b] : 1);
    }
  }
  return g;
}

/**
 * Cosine similarity from a Gram matrix, sim(i, j) = G[i][j] / (sqrt(G[i][i]·G[j][j]) + shrink) (0 on the
 * diagonal and for empty columns), keeping only each row's `neighbours` most similar movies (0: all).
 */
export function cosineFromGram(g: Float64Array, n: number, neighbours = 0, shrink = 0): Float32Array {
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = Math.sqrt(g[i * n + i]);
  const out = new Float32Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = norm[i] * norm[j];
      row[j] = i === j || d === 0 ? 0 : g[i * n + j] / (d + shrink);
    }
    if (neighbours <= 0 || neighbours >= n) out.set(row, i * n);
    else for (const j of topN(row, neighbours)) out[i * n + j] = row[j];
  }
  return out;
}

/**
 * out[j] = Σ_k w_k·matrix[items[k]][j] (n columns, w_k = weights[k] or 1): the score x·M of a user whose
 * row x holds `weights` (or ones) at `items`.
 */
export function sumRows(
  matrix: Float32Array,
  n: number,
  items: ArrayLike<number>,
  out: Float32Array,
  weights?: ArrayLike<number>,
): void {
  out.fill(0, 0, n);
  for (let k = 0; k < items.length; k++) {
    const row = items[k] * n;
    const w = weights ? weights[k] : 1;
    for (let j = 0; j < n; j++) out[j] += w * matrix[row + j];
  }
}

/** How a weighted user row is formed: per training edge, and for a new user from their stars. */
export interface RowWeights {
  /** Parallel to the graph's user-major edges. */
  edges: Float32Array;
  newUser(ratings: Float32Array): Float32Array;
}

/**
 * A recommender over a dense item × item matrix: training users and visitors both score as x·M, with x
 * binary or weighted by `weights`.
 */
export function rowSumRecommender(graph: RatingGraph, matrix: Float32Array, weights?: RowWeights) {
  const n = graph.numMovies;
  return {
    scoreUser(u: number, out: Float32Array): void {
      const [start, end] = [graph.userPtr[u], graph.userPtr[u + 1]];
      sumRows(matrix, n, graph.edgeMovie.subarray(start, end), out, weights?.edges.subarray(start, end));
    },
    scoreNewUser(movies: Int32Array, ratings: Float32Array, out: Float32Array): void {
      sumRows(matrix, n, movies, out, weights?.newUser(ratings));
    },
  };
}
