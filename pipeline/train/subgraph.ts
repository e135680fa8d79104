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

/** A user-induced subgraph and where its edges come from. */
export interface UserSubgraph {
  /** Users `users[i]` renumbered i, every movie kept (same indices), each kept user with all their edges. */
  graph: RatingGraph;
  /** The parent's user index of each subgraph user (ascending). */
  users: Int32Array;
  /** The parent's user-major edge index of each subgraph edge. */
  edges: Int32Array;
}

/**
 * The subgraph induced by `users` (ascending parent indices) and every movie: the users' feature rows,
 * all their edges (stars, times), both CSR directions rebuilt, so a movie's degree counts only the sampled
 * users. Edges keep the parent's user-major order, so `edges` is ascending.
 */
export function inducedUserSubgraph(g: RatingGraph, users: Int32Array): UserSubgraph {
  const nu = users.length;
  const fu = g.userFeatureDim;
  const userPtr = new Int32Array(nu + 1);
  for (let i = 0; i < nu; i++) {
    const u = users[i];
    if (u < 0 || u >= g.numUsers || (i > 0 && u <= users[i - 1])) {
      throw new RangeError('users must be ascending parent user indices');
    }
    userPtr[i + 1] = userPtr[i] + g.userPtr[u + 1] - g.userPtr[u];
  }
  const n = userPtr[nu];
  const edges = new Int32Array(n);
  const edgeMovie = new Int32Array(n);
  const edgeRating = new Float32Array(n);
  const edgeTime = new Uint32Array(n);
  const userFeatures = new Float32Array(nu * fu);
  const userIds = new Int32Array(nu);
  const moviePtr = new Int32Array(g.numMovies + 1);
  for (let i = 0; i < nu; i++) {
    const u = users[i];
    userFeatures.set(g.userFeatures.subarray(u * fu, (u + 1) * fu), i * fu);
    userIds[i] = g.userIds[u];
    for (let e = g.userPtr[u], k = userPtr[i]; e < g.userPtr[u + 1]; e++, k++) {
      edges[k] = e;
      edgeMovie[k] = g.edgeMovie[e];
      edgeRating[k] = g.edgeRating[e];
      edgeTime[k] = g.edgeTime[e];
      moviePtr[g.edgeMovie[e] + 1]++;
    }
  }
  for (let m = 0; m < g.numMovies; m++) moviePtr[m + 1] += moviePtr[m];
  const fill = moviePtr.slice(0, g.numMovies);
  const movieAdjUser = new Int32Array(n);
  const movieAdjEdge = new Int32Array(n);
  for (let i = 0; i < nu; i++) {
    for (let k = userPtr[i]; k < userPtr[i + 1]; k++) {
      const j = fill[edgeMovie[k]]++;
      movieAdjUser[j] = i;
      movieAdjEdge[j] = k;
    }
  }
  return {
    graph: {
      numUsers: nu,
      numMovies: g.numMovies,
      numEdges: n,
      userFeatureDim: fu,
      movieFeatureDim: g.movieFeatureDim,
      userFeatures,
      movieFeatures: g.movieFeatures,
      userPtr,
      edgeMovie,
      edgeRating,
      edgeTime,
      moviePtr,
      movieAdjUser,
      movieAdjEdge,
      userIds,
      movieIds: g.movieIds,
    },
    users,
    edges,
  };
}
