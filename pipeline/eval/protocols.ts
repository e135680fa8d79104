/**
 * The two evaluation protocols (README § Quality), on any MovieLens data set, as `Split`s: a training graph
 * (what a method may fit on) and the evaluated users (what it is given at test time, what is masked, what
 * counts as a hit).
 *
 * - u1 (transductive): on ML-100K, train on `u1.base`, test on `u1.test` (exactly 456 ranked users). On any
 *   other data set (or an ML-100K folder without the u1 files) its analogue: a seeded per-user random 80/20
 *   split (`perUserSplit`: each user's ratings shuffled by the sfc32 PRNG seeded with `seed`, users in id
 *   order, the first round(0.2·n) of each user's ratings are test). Each user with ≥ 1 test rating ≥ 4 is
 *   ranked over every movie they did not rate in training.
 * - visitor (inductive, the browser's case): 20% of users (sfc32 PRNG of `pipeline/train/rng.ts` seeded
 *   with `seed`, Fisher–Yates over the sorted user ids, first round(0.2·N) taken) are left out of the
 *   training graph entirely. Each held-out user reveals their 10 earliest ratings (by timestamp, ties by
 *   movie id) as a new user node; every other movie is ranked and their remaining ratings ≥ 4 are the
 *   positives (users with ≥ 1 such positive are evaluated).
 *
 * Each user also carries their hidden ratings (the test ratings on movies not excluded: stars for RMSE)
 * and hidden dislikes (those ≤ 2 stars, for Dislike@20). `testUsers` is every user with a hidden rating
 * (u1: all 20,000 `u1.test` ratings); `users`, the ranked ones, are those of them with a positive.
 *
 * `validationSplit` applies the same kind of protocol to a split's training part only, for tuning.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, DatasetFormat, RatingTable } from '../../src/core/dataset.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { type BuiltGraph, buildGraph } from '../data/build-graph.ts';
import { detectMovieLensFormat, loadMovieLens } from '../data/movielens.ts';
import { selectRatings } from '../data/rating-table.ts';
import { Rng } from '../train/rng.ts';

/** A test rating with at least this many stars is a positive (4.0 on half-star data sets). */
export const POSITIVE_MIN_STARS = 4;
/** A test rating with at most this many stars is a dislike (Dislike@20; 0.5–2.0 on half-star data sets). */
export const DISLIKE_MAX_STARS = 2;
/** Users the u1 protocol must evaluate (u1.test users with a rating ≥ 4). */
export const U1_EXPECTED_USERS = 456;
export const VISITOR_HOLDOUT_FRACTION = 0.2;
export const VISITOR_REVEALED = 10;
/** Fraction of each user's ratings the u1 analogue (`perUserSplit`) holds out as test. */
export const PER_USER_TEST_FRACTION = 0.2;
/** Fraction of a transductive split's training ratings held out for validation. */
export const VALIDATION_FRACTION = 0.2;
export const DEFAULT_SEED = 42;

export type SplitKind = 'transductive' | 'inductive';

export interface EvalUser {
  /** Data set user id. */
  userId: number;
  /** The user's index in the training graph (transductive), or -1 (inductive: not a node). */
  userIndex: number;
  /** Inductive: the revealed ratings as movie indices and stars, earliest first; empty otherwise. */
  revealedMovies: Int32Array;
  revealedRatings: Float32Array;
  /** Movie indices left out of the ranking (rated in training, or revealed). */
  exclude: Int32Array;
  /** Movie indices of the positives (never excluded ones). */
  positives: Int32Array;
  /** Movie indices of the hidden dislikes: test ratings ≤ DISLIKE_MAX_STARS (never excluded ones). */
  dislikes: Int32Array;
  /** The hidden test ratings (movies never excluded, each once) and their stars, for RMSE / MAE. */
  hiddenMovies: Int32Array;
  hiddenRatings: Float32Array;
}

export interface Split {
  name: string;
  kind: SplitKind;
  /** Users and movies (its `ratings` are whatever was loaded; use `trainRatings`). */
  dataset: Dataset;
  /** The ratings the training graph was built from. */
  trainRatings: RatingTable;
  /** The training graph with its feature spec and index maps. */
  built: BuiltGraph;
  graph: RatingGraph;
  /** The ranked users: those of `testUsers` with a positive. */
  users: EvalUser[];
  /** Every user with a hidden rating (star prediction is scored over all of theirs). */
  testUsers: EvalUser[];
  /** Inductive: data set ids of the users left out of the graph (sorted); empty otherwise. */
  heldOutUserIds: Int32Array;
  seed: number;
  /** Transductive: built by `perUserSplit` (the u1 analogue), not from fixed train / test files. */
  perUser?: boolean;
}

/** Movie id → movie index of a graph. */
function movieIndexMap(graph: RatingGraph): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < graph.numMovies; i++) m.set(graph.movieIds[i], i);
  return m;
}

function movieIndexOf(map: Map<number, number>, id: number): number {
  const i = map.get(id);
  if (i === undefined) throw new Error(`movie ${id} is not a node of the training graph`);
  return i;
}

/** Rows of `table` grouped by user id (ids in ascending order). */
function rowsByUser(table: RatingTable): Map<number, number[]> {
  const byUser = new Map<number, number[]>();
  for (let i = 0; i < table.length; i++) {
    const u = table.user[i];
    let rows = byUser.get(u);
    if (!rows) {
      rows = [];
      byUser.set(u, rows);
    }
    rows.push(i);
  }
  return new Map([...byUser.entries()].sort((a, b) => a[0] - b[0]));
}

/** Sorted movie indices of `movies` whose stars pass `keep`. */
function moviesWhere(movies: Int32Array, stars: Float32Array, keep: (r: number) => boolean): Int32Array {
  return movies.filter((_, i) => keep(stars[i])).sort();
}

/**
 * An evaluated user from their hidden (test) ratings as movie indices and stars: ratings on excluded
 * movies and repeats of a movie are dropped; null when nothing is left.
 */
function evalUser(
  base: Pick<EvalUser, 'userId' | 'userIndex' | 'revealedMovies' | 'revealedRatings' | 'exclude'>,
  movies: ArrayLike<number>,
  stars: ArrayLike<number>,
): EvalUser | null {
  const excluded = new Set(base.exclude);
  const hidden = new Map<number, number>();
  for (let i = 0; i < movies.length; i++) {
    if (!excluded.has(movies[i]) && !hidden.has(movies[i])) hidden.set(movies[i], stars[i]);
  }
  if (hidden.size === 0) return null;
  const hiddenMovies = Int32Array.from(hidden.keys());
  const hiddenRatings = Float32Array.from(hidden.values());
  return {
    ...base,
    positives: moviesWhere(hiddenMovies, hiddenRatings, (r) => r >= POSITIVE_MIN_STARS),
    dislikes: moviesWhere(hiddenMovies, hiddenRatings, (r) => r <= DISLIKE_MAX_STARS),
    hiddenMovies,
    hiddenRatings,
  };
}

/** The split's users: every one with a hidden rating, and the ranked ones (with a positive). */
function usersOf(all: (EvalUser | null)[]): Pick<Split, 'users' | 'testUsers'> {
  const testUsers = all.filter((u): u is EvalUser => u !== null);
  return { testUsers, users: testUsers.filter((u) => u.positives.length > 0) };
}

/**
 * A transductive split: the graph is built from `train`; every user with a `test` rating ≥ 4 on a movie
 * they did not rate in training is evaluated over all movies they did not rate in training.
 */
export function transductiveSplit(
  name: string,
  dataset: Dataset,
  train: RatingTable,
  test: RatingTable,
  seed = DEFAULT_SEED,
): Split {
  const built = buildGraph(dataset, { ratings: train });
  const { graph } = built;
  const userIndex = new Map<number, number>();
  for (let u = 0; u < graph.numUsers; u++) userIndex.set(graph.userIds[u], u);
  const movieIndex = movieIndexMap(graph);
  const all = [...rowsByUser(test)].map(([userId, rows]) => {
    const u = userIndex.get(userId);
    if (u === undefined) throw new Error(`${name}: test user ${userId} is not a node of the training graph`);
    return evalUser(
      {
        userId,
        userIndex: u,
        revealedMovies: new Int32Array(0),
        revealedRatings: new Float32Array(0),
        exclude: graph.edgeMovie.slice(graph.userPtr[u], graph.userPtr[u + 1]),
      },
      rows.map((r) => movieIndexOf(movieIndex, test.movie[r])),
      rows.map((r) => test.rating[r]),
    );
  });
  return {
    name,
    kind: 'transductive',
    dataset,
    trainRatings: train,
    built,
    graph,
    ...usersOf(all),
    heldOutUserIds: new Int32Array(0),
    seed,
  };
}

export interface VisitorSplitOptions {
  seed?: number;
  holdoutFraction?: number;
  revealed?: number;
  /** Users already kept out of the graph (not candidates, not nodes): a nested split's outer held-out users. */
  excludeUsers?: ReadonlySet<number>;
  /** Hold out exactly these users instead of a seeded draw (e.g. an `--exclude-users` file's). */
  heldOutUserIds?: ArrayLike<number>;
}

/** The users a visitor split holds out: a seeded shuffle of the sorted candidate ids, first round(f·N). */
export function chooseHeldOutUsers(candidateIds: ArrayLike<number>, fraction: number, seed: number): Int32Array {
  const ids = Int32Array.from(candidateIds).sort();
  new Rng(seed).shuffle(ids);
  return ids.slice(0, Math.round(fraction * ids.length)).sort();
}

/** An inductive split of `ratings` (every user in it is a candidate for holding out). */
export function visitorSplitOf(
  name: string,
  dataset: Dataset,
  ratings: RatingTable,
  opts: VisitorSplitOptions = {},
): Split {
  const seed = opts.seed ?? DEFAULT_SEED;
  const revealed = opts.revealed ?? VISITOR_REVEALED;
  const byUser = rowsByUser(ratings);
  const candidates = [...byUser.keys()].filter((id) => !opts.excludeUsers?.has(id));
  const heldOutUserIds = opts.heldOutUserIds
    ? Int32Array.from(opts.heldOutUserIds).sort()
    : chooseHeldOutUsers(candidates, opts.holdoutFraction ?? VISITOR_HOLDOUT_FRACTION, seed);
  const heldOut = new Set(heldOutUserIds);
  const excludeUsers = new Set([...(opts.excludeUsers ?? []), ...heldOut]);

  const trainRows: number[] = [];
  for (let i = 0; i < ratings.length; i++) if (!excludeUsers.has(ratings.user[i])) trainRows.push(i);
  const trainRatings = selectRatings(ratings, trainRows);
  const built = buildGraph(dataset, { ratings: trainRatings, excludeUsers });
  const movieIndex = movieIndexMap(built.graph);

  const all = Array.from(heldOutUserIds, (userId) => {
    const rows = (byUser.get(userId) ?? []).slice();
    rows.sort((a, b) => ratings.timestamp[a] - ratings.timestamp[b] || ratings.movie[a] - ratings.movie[b]);
    const shown = rows.slice(0, revealed);
    const rest = rows.slice(revealed);
    const revealedMovies = Int32Array.from(shown, (r) => movieIndexOf(movieIndex, ratings.movie[r]));
    return evalUser(
      {
        userId,
        userIndex: -1,
        revealedMovies,
        revealedRatings: Float32Array.from(shown, (r) => ratings.rating[r]),
        exclude: Int32Array.from(new Set(revealedMovies)).sort(),
      },
      rest.map((r) => movieIndexOf(movieIndex, ratings.movie[r])),
      rest.map((r) => ratings.rating[r]),
    );
  });
  return {
    name,
    kind: 'inductive',
    dataset,
    trainRatings,
    built,
    graph: built.graph,
    ...usersOf(all),
    heldOutUserIds,
    seed,
  };
}

/** The u1 protocol from the ML-100K directory; asserts the 456 evaluated users. */
export async function u1Split(dir: string, seed = DEFAULT_SEED): Promise<Split> {
  const base = await loadMovieLens(dir, 'ml-100k', { ratingsFile: 'u1.base' });
  const test = await loadMovieLens(dir, 'ml-100k', { ratingsFile: 'u1.test' });
  const split = transductiveSplit('u1', base, base.ratings, test.ratings, seed);
  if (split.users.length !== U1_EXPECTED_USERS) {
    throw new Error(
      `u1 split evaluates ${split.users.length} users, expected ${U1_EXPECTED_USERS}: is ${join(dir, 'u1.test')} the ML-100K file?`,
    );
  }
  return split;
}

/** Row positions of `ratings` split per user: a seeded random `fraction` of each user's ratings is test. */
export function perUserTestRows(
  ratings: RatingTable,
  seed: number,
  fraction = PER_USER_TEST_FRACTION,
): { train: Int32Array; test: Int32Array } {
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of rowsByUser(ratings).values()) {
    const order = rng.shuffle(Int32Array.from(rows));
    const cut = Math.round(fraction * order.length);
    for (let i = 0; i < order.length; i++) (i < cut ? test : train).push(order[i]);
  }
  const sorted = (xs: number[]) => Int32Array.from(xs).sort();
  return { train: sorted(train), test: sorted(test) };
}

/** The u1 analogue on any data set: a seeded per-user random 80/20 split of all its ratings. */
export function perUserSplit(
  dataset: Dataset,
  seed = DEFAULT_SEED,
  fraction = PER_USER_TEST_FRACTION,
  name = 'u1',
): Split {
  const { train, test } = perUserTestRows(dataset.ratings, seed, fraction);
  const split = transductiveSplit(
    name,
    dataset,
    selectRatings(dataset.ratings, train),
    selectRatings(dataset.ratings, test),
    seed,
  );
  return { ...split, perUser: true };
}

/** True when `dir` holds ML-100K's official u1 split (then the u1 protocol uses it). */
export function hasU1Files(dir: string, format?: DatasetFormat): boolean {
  const fmt = format ?? detectMovieLensFormat(dir);
  return fmt === 'ml-100k' && existsSync(join(dir, 'u1.base')) && existsSync(join(dir, 'u1.test'));
}

/** The transductive protocol of a data set folder: u1.base / u1.test on ML-100K, else `perUserSplit`. */
export async function transductiveProtocol(dir: string, seed = DEFAULT_SEED, format?: DatasetFormat): Promise<Split> {
  if (hasU1Files(dir, format)) return u1Split(dir, seed);
  return perUserSplit(await loadMovieLens(dir, format), seed);
}

/** The visitor protocol from a data set folder (all its ratings; format detected unless given). */
export async function visitorSplit(dir: string, seed = DEFAULT_SEED, format?: DatasetFormat): Promise<Split> {
  const dataset = await loadMovieLens(dir, format);
  return visitorSplitOf('visitor', dataset, dataset.ratings, { seed });
}

/**
 * A validation split carved from `split`'s training part only, of the same kind: transductive holds out a
 * seeded random VALIDATION_FRACTION of the training ratings; inductive holds out 20% of the training users
 * as visitors (the test split's held-out users stay out of the graph).
 */
export function validationSplit(split: Split, seed = split.seed + 1): Split {
  const t = split.trainRatings;
  if (split.kind === 'transductive') {
    const order = new Rng(seed).shuffle(Int32Array.from({ length: t.length }, (_, i) => i));
    const cut = Math.round(VALIDATION_FRACTION * t.length);
    const valTest = selectRatings(t, order.subarray(0, cut).sort());
    const valTrain = selectRatings(t, order.subarray(cut).sort());
    return transductiveSplit(`${split.name}/validation`, split.dataset, valTrain, valTest, seed);
  }
  return visitorSplitOf(`${split.name}/validation`, split.dataset, t, {
    seed,
    excludeUsers: new Set(split.heldOutUserIds),
  });
}
