/**
 * Turns a loaded data set (plus the ratings chosen as edges) into the `RatingGraph` the model trains and
 * runs on: node indices, deduplicated edges in both CSR directions, and frozen feature rows.
 *
 * Nodes: every movie of the data set, and every user except `excludeUsers` (excluded users are not nodes
 * at all: held-out visitors re-enter as appended nodes at test time). Index order is data-set id order,
 * whether or not the node has an edge in the chosen ratings.
 * Edges: the given ratings (default: all of the data set's), minus excluded users'; when a (user, movie)
 * pair repeats, the last one in table order wins.
 * Features: the spec is fitted on these edges unless one is given; movie popularity and mean rating are
 * always computed from these edges.
 */
import type { Dataset, DatasetFormat, MovieRecord, RatingTable, UserRecord } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import {
  type FeatureSpec,
  fitFeatureScalers,
  movieFeatureRow,
  movieRatingStats,
  userFeatureRow,
} from '../../src/core/features.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';

export interface BuildGraphOptions {
  /** The ratings that become edges (default: `dataset.ratings`). */
  ratings?: RatingTable;
  /** A spec fitted elsewhere (default: fitted on the edges). */
  spec?: FeatureSpec;
  /** Data set user ids left out of the graph entirely. */
  excludeUsers?: Set<number>;
}

export interface BuiltGraph {
  graph: RatingGraph;
  spec: FeatureSpec;
  /** The user of each user index. */
  users: UserRecord[];
  /**
   * The movie of each movie index, with its IMDb/TMDB `links` where the data set has `links.csv` (the
   * snapshot writer stores them in its optional `movies.links` section).
   */
  movies: MovieRecord[];
  /** Number of edges of each movie at build time: the popularity its feature row was computed from. */
  moviePopularity: Int32Array;
  dataset: { name: string; format: DatasetFormat; genres: string[] };
}

export function buildGraph(dataset: Dataset, opts: BuildGraphOptions = {}): BuiltGraph {
  const exclude = opts.excludeUsers ?? new Set<number>();
  const users = dataset.users.filter((u) => !exclude.has(u.id));
  const movies = dataset.movies;
  const userIndex = indexById(users.map((u) => u.id));
  const movieIndex = indexById(movies.map((m) => m.id));
  const ratings = opts.ratings ?? dataset.ratings;

  // Map ids to indices, dropping excluded users' ratings.
  const n = ratings.length;
  const rowUser = new Int32Array(n);
  const rowMovie = new Int32Array(n);
  let kept = 0;
  const keptRows = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const uid = ratings.user[i];
    if (exclude.has(uid)) continue;
    const u = lookup(userIndex, uid);
    if (u < 0) throw new DatasetParseError(`rating ${i}: user ${uid} is not in data set ${dataset.name}`);
    const m = lookup(movieIndex, ratings.movie[i]);
    if (m < 0) throw new DatasetParseError(`rating ${i}: movie ${ratings.movie[i]} is not in data set ${dataset.name}`);
    rowUser[kept] = u;
    rowMovie[kept] = m;
    keptRows[kept] = i;
    kept++;
  }

  const edges = dedupLastWins(users.length, rowUser.subarray(0, kept), rowMovie.subarray(0, kept));
  const numEdges = edges.length;
  const user = new Int32Array(numEdges);
  const movie = new Int32Array(numEdges);
  const rating = new Float32Array(numEdges);
  const time = new Uint32Array(numEdges);
  for (let e = 0; e < numEdges; e++) {
    const k = edges[e];
    const src = keptRows[k];
    user[e] = rowUser[k];
    movie[e] = rowMovie[k];
    rating[e] = ratings.rating[src];
    time[e] = ratings.timestamp[src];
  }

  const spec = opts.spec ?? fitFeatureScalers(dataset, edgeRatingTable(users, movies, user, movie, rating, time));
  if (spec.genres.join('\n') !== dataset.genres.join('\n')) {
    throw new Error('buildGraph: the given feature spec was fitted on another genre vocabulary');
  }
  const stats = movieRatingStats(movies.length, movie, rating);

  const userFeatureDim = spec.userColumns.length;
  const userFeatures = new Float32Array(users.length * userFeatureDim);
  for (let i = 0; i < users.length; i++) userFeatures.set(userFeatureRow(spec, users[i]), i * userFeatureDim);
  const movieFeatureDim = spec.movieColumns.length;
  const movieFeatures = new Float32Array(movies.length * movieFeatureDim);
  for (let i = 0; i < movies.length; i++) {
    const row = movieFeatureRow(spec, movies[i], { count: stats.count[i], sum: stats.sum[i] });
    movieFeatures.set(row, i * movieFeatureDim);
  }

  const csr = buildCsr(users.length, movies.length, user, movie, rating, time);
  const graph: RatingGraph = {
    numUsers: users.length,
    numMovies: movies.length,
    ...csr,
    userFeatureDim,
    movieFeatureDim,
    userFeatures,
    movieFeatures,
    userIds: Int32Array.from(users, (u) => u.id),
    movieIds: Int32Array.from(movies, (m) => m.id),
  };
  return {
    graph,
    spec,
    users,
    movies,
    moviePopularity: stats.count,
    dataset: { name: dataset.name, format: dataset.format, genres: dataset.genres },
  };
}

/** Id → index table (ids are positive, sorted, at most a few hundred thousand); -1 where absent. */
function indexById(sortedIds: number[]): Int32Array {
  const table = new Int32Array((sortedIds.length ? sortedIds[sortedIds.length - 1] : 0) + 1).fill(-1);
  sortedIds.forEach((id, i) => {
    table[id] = i;
  });
  return table;
}

function lookup(table: Int32Array, id: number): number {
  return id >= 0 && id < table.length ? table[id] : -1;
}

/**
 * Positions (into the given rows) of the edges that survive deduplication, user-major and by movie within a
 * user; of rows with the same (user, movie) the last one wins. Linear bucketing by user, then a small sort
 * per user, so 25M ratings never go through one comparator sort.
 */
function dedupLastWins(numUsers: number, user: Int32Array, movie: Int32Array): Int32Array {
  const ptr = new Int32Array(numUsers + 1);
  for (let i = 0; i < user.length; i++) ptr[user[i] + 1]++;
  for (let u = 0; u < numUsers; u++) ptr[u + 1] += ptr[u];
  const fill = ptr.slice(0, numUsers);
  const byUser = new Int32Array(user.length);
  for (let i = 0; i < user.length; i++) byUser[fill[user[i]]++] = i;

  const out = new Int32Array(user.length);
  let n = 0;
  for (let u = 0; u < numUsers; u++) {
    const rows = byUser.subarray(ptr[u], ptr[u + 1]);
    rows.sort((a, b) => movie[a] - movie[b] || a - b);
    for (let k = 0; k < rows.length; k++) {
      if (k + 1 < rows.length && movie[rows[k + 1]] === movie[rows[k]]) continue;
      out[n++] = rows[k];
    }
  }
  return out.slice(0, n);
}

/** The edges as a rating table with data-set ids, for fitting the spec. */
function edgeRatingTable(
  users: UserRecord[],
  movies: MovieRecord[],
  user: Int32Array,
  movie: Int32Array,
  rating: Float32Array,
  timestamp: Uint32Array,
): RatingTable {
  return {
    length: user.length,
    user: Int32Array.from(user, (u) => users[u].id),
    movie: Int32Array.from(movie, (m) => movies[m].id),
    rating,
    timestamp,
  };
}
