/**
 * Edge subsets of a rating graph as `MessageGraph`s (same nodes and features, fewer edges): edge dropout,
 * the training graph without validation edges, target edges held out of message passing.
 */
import type { RatingGraph } from '../../src/core/graph.ts';
import type { MessageGraph } from '../../src/core/model/forward.ts';

/** The graph keeping only the user-major edges e with keep[e] = 1 (both CSR directions stay sorted). */
export function keepEdges(g: MessageGraph, keep: Uint8Array): MessageGraph {
  const userPtr = new Int32Array(g.numUsers + 1);
  let n = 0;
  for (let u = 0; u < g.numUsers; u++) {
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) if (keep[e]) n++;
    userPtr[u + 1] = n;
  }
  const edgeMovie = new Int32Array(n);
  const edgeRating = new Float32Array(n);
  const moviePtr = new Int32Array(g.numMovies + 1);
  let k = 0;
  for (let e = 0; e < keep.length; e++) {
    if (!keep[e]) continue;
    edgeRating[k] = g.edgeRating[e];
    edgeMovie[k++] = g.edgeMovie[e];
    moviePtr[g.edgeMovie[e] + 1]++;
  }
  for (let m = 0; m < g.numMovies; m++) moviePtr[m + 1] += moviePtr[m];
  const fill = moviePtr.slice(0, g.numMovies);
  const movieAdjUser = new Int32Array(n);
  const movieAdjEdge = new Int32Array(n);
  for (let u = 0; u < g.numUsers; u++) {
    for (let e = userPtr[u]; e < userPtr[u + 1]; e++) {
      const j = fill[edgeMovie[e]]++;
      movieAdjUser[j] = u;
      movieAdjEdge[j] = e;
    }
  }
  return { ...pickMessageGraph(g), userPtr, edgeMovie, edgeRating, moviePtr, movieAdjUser, movieAdjEdge };
}

/** The message-passing view of a rating graph (drops times and ids). */
export function pickMessageGraph(g: MessageGraph | RatingGraph): MessageGraph {
  return {
    numUsers: g.numUsers,
    numMovies: g.numMovies,
    userFeatureDim: g.userFeatureDim,
    movieFeatureDim: g.movieFeatureDim,
    userFeatures: g.userFeatures,
    movieFeatures: g.movieFeatures,
    userPtr: g.userPtr,
    edgeMovie: g.edgeMovie,
    moviePtr: g.moviePtr,
    movieAdjUser: g.movieAdjUser,
    edgeRating: g.edgeRating,
    movieAdjEdge: g.movieAdjEdge,
  };
}

/** Whether user u has an edge to movie m (binary search in u's sorted row). */
export function hasEdge(g: Pick<MessageGraph, 'userPtr' | 'edgeMovie'>, u: number, m: number): boolean {
  let lo = g.userPtr[u];
  let hi = g.userPtr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = g.edgeMovie[mid];
    if (v === m) return true;
    if (v < m) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
