/**
 * Dense item × item helpers shared by the neighbourhood baselines (ItemKNN, EASE): the Gram matrix XᵀX of a
 * graph's binary user × movie matrix, and scoring a user as the sum of the matrix rows of the movies they
 * rated (x·M for a binary row x).
 */
import type { RatingGraph } from '../../../src/core/graph.ts';

/** G = XᵀX, numMovies × numMovies row-major: G[i][j] = number of users who rated both i and j. */
export function gramMatrix(graph: RatingGraph): Float64Array {
  const n = graph.numMovies;
  const g = new Float64Array(n * n);
  for (let u = 0; u < graph.numUsers; u++) {
    const start = graph.userPtr[u];
    const end = graph.userPtr[u + 1];
    for (let a = start; a < end; a++) {
      const row = graph.edgeMovie[a] * n;
      for (let b = start; b < end; b++) g[row + graph.edgeMovie[b]] += 1;
    }
  }
  return g;
}

/** out[j] = Σ_k matrix[items[k]][j] (n columns): the score x·M of a user with binary row x over `items`. */
export function sumRows(matrix: Float32Array, n: number, items: ArrayLike<number>, out: Float32Array): void {
  out.fill(0, 0, n);
  for (let k = 0; k < items.length; k++) {
    const row = items[k] * n;
    for (let j = 0; j < n; j++) out[j] += matrix[row + j];
  }
}

/** A recommender over a dense item × item matrix: training users and visitors both score as x·M. */
export function rowSumRecommender(graph: RatingGraph, matrix: Float32Array) {
  const n = graph.numMovies;
  return {
    scoreUser(u: number, out: Float32Array): void {
      sumRows(matrix, n, graph.edgeMovie.subarray(graph.userPtr[u], graph.userPtr[u + 1]), out);
    },
    scoreNewUser(movies: Int32Array, _ratings: Float32Array, out: Float32Array): void {
      sumRows(matrix, n, movies, out);
    },
  };
}
