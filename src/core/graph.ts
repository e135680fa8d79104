/**
 * The user–movie rating graph as flat typed arrays: CSR in both directions, node features, and the
 * index ↔ data-set-id maps. This is exactly what a snapshot holds (the reader returns views into the
 * file) and what the model, the trainer and the worker compute on. Pure: no DOM or Node imports.
 *
 * Conventions: users and movies are indexed 0..numUsers-1 and 0..numMovies-1. Edge e (0..numEdges-1) is
 * stored in user-major order: user u's edges are userPtr[u]..userPtr[u+1]-1, sorted by movie index.
 * The movie-side CSR lists, for movie m, movieAdjUser[k] and movieAdjEdge[k] (the edge's user-major index)
 * for k in moviePtr[m]..moviePtr[m+1]-1, sorted by user index.
 */

export interface RatingGraph {
  numUsers: number;
  numMovies: number;
  numEdges: number;

  userFeatureDim: number;
  movieFeatureDim: number;
  /** numUsers × userFeatureDim, row-major. */
  userFeatures: Float32Array;
  /** numMovies × movieFeatureDim, row-major. Frozen: a visitor's rating never changes it. */
  movieFeatures: Float32Array;

  /** numUsers + 1 offsets into the user-major edge arrays. */
  userPtr: Int32Array;
  /** Movie index of each edge (user-major). */
  edgeMovie: Int32Array;
  /** Stars of each edge (user-major), 0.5–5. */
  edgeRating: Float32Array;
  /** Unix seconds of each edge (user-major). */
  edgeTime: Uint32Array;

  /** numMovies + 1 offsets into movieAdjUser / movieAdjEdge. */
  moviePtr: Int32Array;
  /** User index of each movie-side adjacency entry. */
  movieAdjUser: Int32Array;
  /** User-major edge index of each movie-side adjacency entry. */
  movieAdjEdge: Int32Array;

  /** Data set id of each user index. */
  userIds: Int32Array;
  /** Data set id of each movie index. */
  movieIds: Int32Array;
}

/**
 * Builds both CSRs from an edge list given as user and movie indices. Edges are re-ordered user-major
 * (ties by movie index); duplicates are kept as given, so callers deduplicate first.
 */
export function buildCsr(
  numUsers: number,
  numMovies: number,
  user: Int32Array,
  movie: Int32Array,
  rating: Float32Array,
  time: Uint32Array,
): Pick<
  RatingGraph,
  'numEdges' | 'userPtr' | 'edgeMovie' | 'edgeRating' | 'edgeTime' | 'moviePtr' | 'movieAdjUser' | 'movieAdjEdge'
> {
  const numEdges = user.length;
  const order = new Int32Array(numEdges);
  for (let i = 0; i < numEdges; i++) order[i] = i;
  order.sort((a, b) => user[a] - user[b] || movie[a] - movie[b]);

  const userPtr = new Int32Array(numUsers + 1);
  const edgeMovie = new Int32Array(numEdges);
  const edgeRating = new Float32Array(numEdges);
  const edgeTime = new Uint32Array(numEdges);
  for (let e = 0; e < numEdges; e++) {
    const src = order[e];
    const u = user[src];
    if (u < 0 || u >= numUsers) throw new RangeError(`edge ${src}: user index ${u} out of range`);
    const m = movie[src];
    if (m < 0 || m >= numMovies) throw new RangeError(`edge ${src}: movie index ${m} out of range`);
    userPtr[u + 1]++;
    edgeMovie[e] = m;
    edgeRating[e] = rating[src];
    edgeTime[e] = time[src];
  }
  for (let u = 0; u < numUsers; u++) userPtr[u + 1] += userPtr[u];

  const moviePtr = new Int32Array(numMovies + 1);
  for (let e = 0; e < numEdges; e++) moviePtr[edgeMovie[e] + 1]++;
  for (let m = 0; m < numMovies; m++) moviePtr[m + 1] += moviePtr[m];
  const fill = moviePtr.slice(0, numMovies);
  const movieAdjUser = new Int32Array(numEdges);
  const movieAdjEdge = new Int32Array(numEdges);
  // Walking edges user-major keeps each movie's list sorted by user index.
  for (let u = 0; u < numUsers; u++) {
    for (let e = userPtr[u]; e < userPtr[u + 1]; e++) {
      const k = fill[edgeMovie[e]]++;
      movieAdjUser[k] = u;
      movieAdjEdge[k] = e;
    }
  }
  return { numEdges, userPtr, edgeMovie, edgeRating, edgeTime, moviePtr, movieAdjUser, movieAdjEdge };
}

/** Per-node degrees, user side and movie side. */
export function degrees(g: RatingGraph): { user: Int32Array; movie: Int32Array } {
  const user = new Int32Array(g.numUsers);
  for (let u = 0; u < g.numUsers; u++) user[u] = g.userPtr[u + 1] - g.userPtr[u];
  const movie = new Int32Array(g.numMovies);
  for (let m = 0; m < g.numMovies; m++) movie[m] = g.moviePtr[m + 1] - g.moviePtr[m];
  return { user, movie };
}

/** The ids of the `limit` users with the most ratings (ties: lower index first): whom to offer "browse as". */
export function mostActiveUsers(g: Pick<RatingGraph, 'numUsers' | 'userPtr' | 'userIds'>, limit: number): number[] {
  const degree = (u: number) => g.userPtr[u + 1] - g.userPtr[u];
  const order = Int32Array.from({ length: g.numUsers }, (_, i) => i).sort((a, b) => degree(b) - degree(a) || a - b);
  return [...order.subarray(0, limit)].map((u) => g.userIds[u]);
}
