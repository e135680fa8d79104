/**
 * Structural check of a `RatingGraph`: every count, pointer, index and feature against the others, so a
 * reader never hands out a graph that would read out of bounds or disagree between its two CSR
 * directions. Linear in the graph's size. Pure: no DOM or Node imports.
 */
import type { RatingGraph } from '../graph.ts';

/** The first problem found, or null when the graph is consistent. */
export function findGraphProblem(g: RatingGraph): string | null {
  const { numUsers, numMovies, numEdges } = g;
  for (const [name, v] of [
    ['numUsers', numUsers],
    ['numMovies', numMovies],
    ['numEdges', numEdges],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) return `${name} ${v} is not a count`;
  }
  const lengths: [string, { length: number }, number][] = [
    ['userPtr', g.userPtr, numUsers + 1],
    ['edgeMovie', g.edgeMovie, numEdges],
    ['edgeRating', g.edgeRating, numEdges],
    ['edgeTime', g.edgeTime, numEdges],
    ['moviePtr', g.moviePtr, numMovies + 1],
    ['movieAdjUser', g.movieAdjUser, numEdges],
    ['movieAdjEdge', g.movieAdjEdge, numEdges],
    ['userFeatures', g.userFeatures, numUsers * g.userFeatureDim],
    ['movieFeatures', g.movieFeatures, numMovies * g.movieFeatureDim],
    ['userIds', g.userIds, numUsers],
    ['movieIds', g.movieIds, numMovies],
  ];
  for (const [name, arr, expected] of lengths) {
    if (arr.length !== expected) return `${name} has ${arr.length} entries, expected ${expected}`;
  }

  const ptrProblem = (name: string, ptr: Int32Array, n: number): string | null => {
    if (ptr[0] !== 0) return `${name}[0] is ${ptr[0]}, not 0`;
    for (let i = 0; i < n; i++) {
      if (ptr[i + 1] < ptr[i]) return `${name} decreases at ${i}`;
    }
    if (ptr[n] !== numEdges) return `${name} ends at ${ptr[n]}, not at the edge count ${numEdges}`;
    return null;
  };
  const up = ptrProblem('userPtr', g.userPtr, numUsers);
  if (up) return up;
  const mp = ptrProblem('moviePtr', g.moviePtr, numMovies);
  if (mp) return mp;

  for (let u = 0; u < numUsers; u++) {
    let prev = -1;
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      const m = g.edgeMovie[e];
      if (m < 0 || m >= numMovies) return `edge ${e} names movie index ${m}, out of range`;
      if (m <= prev) return `user ${u}'s edges are not sorted by movie or repeat a movie`;
      prev = m;
      const r = g.edgeRating[e];
      if (!(r >= 0.5 && r <= 5)) return `edge ${e} has rating ${r}, not 0.5–5`;
    }
  }

  const seen = new Uint8Array(numEdges);
  for (let m = 0; m < numMovies; m++) {
    let prev = -1;
    for (let k = g.moviePtr[m]; k < g.moviePtr[m + 1]; k++) {
      const u = g.movieAdjUser[k];
      if (u < 0 || u >= numUsers) return `movie ${m}'s neighbour ${k} is user index ${u}, out of range`;
      if (u <= prev) return `movie ${m}'s neighbours are not sorted by user or repeat a user`;
      prev = u;
      const e = g.movieAdjEdge[k];
      if (e < 0 || e >= numEdges || seen[e]) return `movie-side entry ${k} names edge ${e}, out of range or twice`;
      seen[e] = 1;
      if (g.edgeMovie[e] !== m || e < g.userPtr[u] || e >= g.userPtr[u + 1]) {
        return `movie-side entry ${k} (movie ${m}, user ${u}) does not match edge ${e}`;
      }
    }
  }

  for (const [name, f] of [
    ['userFeatures', g.userFeatures],
    ['movieFeatures', g.movieFeatures],
  ] as const) {
    for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) return `${name}[${i}] is not finite`;
  }
  for (const [name, ids] of [
    ['userIds', g.userIds],
    ['movieIds', g.movieIds],
  ] as const) {
    for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) return `${name} are not strictly increasing at ${i}`;
  }
  return null;
}
