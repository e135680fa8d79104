/**
 * The worker's live rating graph: an immutable base `RatingGraph` (views into the snapshot) plus
 * in-place edits — appended users (visitors), added, changed and removed ratings — with both adjacency
 * directions and the degrees kept current in amortised O(1) + O(log degree) per edit, never a rebuild.
 * Base edges are tombstoned when removed (and revived when re-added); new edges live in small per-node
 * overflow lists. `toRatingGraph()` materialises a plain CSR for a full forward. Pure: no DOM or Node imports.
 */
import { InvalidRatingError } from './errors.ts';
import { buildCsr, type RatingGraph } from './graph.ts';

/** New edges of one user (parallel lists, unordered). */
interface OverflowEdges {
  movie: number[];
  rating: number[];
  time: number[];
}

export type NeighbourVisitor = (neighbour: number, rating: number, time: number) => void;

export class MutableRatingGraph {
  readonly numMovies: number;
  readonly userFeatureDim: number;
  readonly movieFeatureDim: number;
  private readonly base: RatingGraph;
  /** Live edge count. */
  private edgeCount: number;
  private readonly removed: Uint8Array;
  /** Copies of the base rating/time columns, made on the first change (the base is read-only). */
  private baseRating: Float32Array | null = null;
  private baseTime: Uint32Array | null = null;
  private userDeg: Int32Array;
  private readonly movieDeg: Int32Array;
  private readonly userOverflow: (OverflowEdges | undefined)[] = [];
  private readonly movieOverflowUsers: (number[] | undefined)[] = [];
  private appendedFeatures: Float32Array;
  private readonly appendedIds: number[] = [];

  constructor(base: RatingGraph) {
    this.base = base;
    this.numMovies = base.numMovies;
    this.userFeatureDim = base.userFeatureDim;
    this.movieFeatureDim = base.movieFeatureDim;
    this.edgeCount = base.numEdges;
    this.removed = new Uint8Array(base.numEdges);
    this.userDeg = new Int32Array(base.numUsers + 16);
    for (let u = 0; u < base.numUsers; u++) this.userDeg[u] = base.userPtr[u + 1] - base.userPtr[u];
    this.movieDeg = new Int32Array(base.numMovies);
    for (let m = 0; m < base.numMovies; m++) this.movieDeg[m] = base.moviePtr[m + 1] - base.moviePtr[m];
    this.appendedFeatures = new Float32Array(16 * base.userFeatureDim);
  }

  get numUsers(): number {
    return this.base.numUsers + this.appendedIds.length;
  }

  get numEdges(): number {
    return this.edgeCount;
  }

  /** Appends a user node (a visitor) with its feature row; returns its index. `id` defaults to -(k+1). */
  appendUser(features: Float32Array, id = -(this.appendedIds.length + 1)): number {
    if (features.length !== this.userFeatureDim) {
      throw new RangeError(`user feature row has ${features.length} values, expected ${this.userFeatureDim}`);
    }
    const k = this.appendedIds.length;
    if ((k + 1) * this.userFeatureDim > this.appendedFeatures.length) {
      const grown = new Float32Array(Math.max(1, this.appendedFeatures.length * 2));
      grown.set(this.appendedFeatures);
      this.appendedFeatures = grown;
    }
    this.appendedFeatures.set(features, k * this.userFeatureDim);
    this.appendedIds.push(id);
    const u = this.base.numUsers + k;
    if (u >= this.userDeg.length) {
      const grown = new Int32Array(this.userDeg.length * 2);
      grown.set(this.userDeg);
      this.userDeg = grown;
    }
    this.userDeg[u] = 0;
    return u;
  }

  /** A user's feature row (a view; do not modify). */
  userFeatureRow(user: number): Float32Array {
    this.checkUser(user);
    const d = this.userFeatureDim;
    if (user < this.base.numUsers) return this.base.userFeatures.subarray(user * d, (user + 1) * d);
    const k = user - this.base.numUsers;
    return this.appendedFeatures.subarray(k * d, (k + 1) * d);
  }

  userId(user: number): number {
    this.checkUser(user);
    return user < this.base.numUsers ? this.base.userIds[user] : this.appendedIds[user - this.base.numUsers];
  }

  userDegree(user: number): number {
    this.checkUser(user);
    return this.userDeg[user];
  }

  movieDegree(movie: number): number {
    this.checkMovie(movie);
    return this.movieDeg[movie];
  }

  /** The rating of (user, movie), or null when there is none. */
  getRating(user: number, movie: number): { rating: number; time: number } | null {
    this.checkUser(user);
    this.checkMovie(movie);
    const e = this.baseEdge(user, movie);
    if (e >= 0 && !this.removed[e]) {
      return { rating: (this.baseRating ?? this.base.edgeRating)[e], time: (this.baseTime ?? this.base.edgeTime)[e] };
    }
    const list = this.userOverflow[user];
    const k = list ? list.movie.indexOf(movie) : -1;
    return list && k >= 0 ? { rating: list.rating[k], time: list.time[k] } : null;
  }

  hasRating(user: number, movie: number): boolean {
    return this.getRating(user, movie) !== null;
  }

  /** Adds a new rating; throws when the user already rated the movie. */
  addRating(user: number, movie: number, rating: number, time: number): void {
    if (this.hasRating(user, movie)) throw new InvalidRatingError(`user ${user} already rated movie ${movie}`);
    this.setRating(user, movie, rating, time);
  }

  /** Changes an existing rating; throws when there is none. */
  changeRating(user: number, movie: number, rating: number, time: number): void {
    if (!this.hasRating(user, movie)) throw new InvalidRatingError(`user ${user} has not rated movie ${movie}`);
    this.setRating(user, movie, rating, time);
  }

  /** Adds or changes the rating of (user, movie). */
  setRating(user: number, movie: number, rating: number, time: number): 'added' | 'changed' {
    this.checkUser(user);
    this.checkMovie(movie);
    if (!(rating >= 0.5 && rating <= 5)) throw new InvalidRatingError(`rating ${rating} is not 0.5–5 stars`);
    rating = Math.fround(rating); // stored as float32, like the base edges
    const e = this.baseEdge(user, movie);
    if (e >= 0) {
      this.baseRating ??= this.base.edgeRating.slice();
      this.baseTime ??= this.base.edgeTime.slice();
      this.baseRating[e] = rating;
      this.baseTime[e] = time;
      if (!this.removed[e]) return 'changed';
      this.removed[e] = 0;
      this.linked(user, movie, +1);
      return 'added';
    }
    let list = this.userOverflow[user];
    const k = list ? list.movie.indexOf(movie) : -1;
    if (list && k >= 0) {
      list.rating[k] = rating;
      list.time[k] = time;
      return 'changed';
    }
    if (!list) {
      list = { movie: [], rating: [], time: [] };
      this.userOverflow[user] = list;
    }
    list.movie.push(movie);
    list.rating.push(rating);
    list.time.push(time);
    const raters = this.movieOverflowUsers[movie];
    if (raters) raters.push(user);
    else this.movieOverflowUsers[movie] = [user];
    this.linked(user, movie, +1);
    return 'added';
  }

  /** Removes the rating of (user, movie); false when there was none. */
  removeRating(user: number, movie: number): boolean {
    this.checkUser(user);
    this.checkMovie(movie);
    const e = this.baseEdge(user, movie);
    if (e >= 0) {
      if (this.removed[e]) return false;
      this.removed[e] = 1;
      this.linked(user, movie, -1);
      return true;
    }
    const list = this.userOverflow[user];
    const k = list ? list.movie.indexOf(movie) : -1;
    if (!list || k < 0) return false;
    swapRemove(list.movie, k);
    swapRemove(list.rating, k);
    swapRemove(list.time, k);
    const users = this.movieOverflowUsers[movie] as number[];
    swapRemove(users, users.indexOf(user));
    this.linked(user, movie, -1);
    return true;
  }

  /** Calls `visit(movie, rating, time)` for each movie the user rated (base edges first, by movie). */
  forEachMovieOf(user: number, visit: NeighbourVisitor): void {
    this.checkUser(user);
    const rating = this.baseRating ?? this.base.edgeRating;
    const time = this.baseTime ?? this.base.edgeTime;
    if (user < this.base.numUsers) {
      for (let e = this.base.userPtr[user]; e < this.base.userPtr[user + 1]; e++) {
        if (!this.removed[e]) visit(this.base.edgeMovie[e], rating[e], time[e]);
      }
    }
    const list = this.userOverflow[user];
    if (list) for (let k = 0; k < list.movie.length; k++) visit(list.movie[k], list.rating[k], list.time[k]);
  }

  /** Calls `visit(user, rating, time)` for each user who rated the movie (base edges first, by user). */
  forEachUserOf(movie: number, visit: NeighbourVisitor): void {
    this.checkMovie(movie);
    const rating = this.baseRating ?? this.base.edgeRating;
    const time = this.baseTime ?? this.base.edgeTime;
    const b = this.base;
    for (let k = b.moviePtr[movie]; k < b.moviePtr[movie + 1]; k++) {
      const e = b.movieAdjEdge[k];
      if (!this.removed[e]) visit(b.movieAdjUser[k], rating[e], time[e]);
    }
    const users = this.movieOverflowUsers[movie];
    if (users) {
      for (const u of users) {
        const list = this.userOverflow[u] as OverflowEdges;
        const i = list.movie.indexOf(movie);
        visit(u, list.rating[i], list.time[i]);
      }
    }
  }

  /** The current graph as a plain CSR `RatingGraph` (copies; O(edges)). Movie features are shared. */
  toRatingGraph(): RatingGraph {
    const n = this.edgeCount;
    const user = new Int32Array(n);
    const movie = new Int32Array(n);
    const rating = new Float32Array(n);
    const time = new Uint32Array(n);
    let i = 0;
    for (let u = 0; u < this.numUsers; u++) {
      this.forEachMovieOf(u, (m, r, t) => {
        user[i] = u;
        movie[i] = m;
        rating[i] = r;
        time[i] = t;
        i++;
      });
    }
    const numUsers = this.numUsers;
    const d = this.userFeatureDim;
    const userFeatures = new Float32Array(numUsers * d);
    userFeatures.set(this.base.userFeatures.subarray(0, this.base.numUsers * d));
    userFeatures.set(this.appendedFeatures.subarray(0, this.appendedIds.length * d), this.base.numUsers * d);
    const userIds = new Int32Array(numUsers);
    userIds.set(this.base.userIds);
    userIds.set(this.appendedIds, this.base.numUsers);
    return {
      numUsers,
      numMovies: this.numMovies,
      userFeatureDim: d,
      movieFeatureDim: this.movieFeatureDim,
      userFeatures,
      movieFeatures: this.base.movieFeatures,
      ...buildCsr(numUsers, this.numMovies, user, movie, rating, time),
      userIds,
      movieIds: this.base.movieIds,
    };
  }

  /** Base edge index of (user, movie) by binary search, or -1. */
  private baseEdge(user: number, movie: number): number {
    if (user >= this.base.numUsers) return -1;
    let lo = this.base.userPtr[user];
    let hi = this.base.userPtr[user + 1] - 1;
    const edgeMovie = this.base.edgeMovie;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = edgeMovie[mid];
      if (m === movie) return mid;
      if (m < movie) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private linked(user: number, movie: number, delta: 1 | -1): void {
    this.userDeg[user] += delta;
    this.movieDeg[movie] += delta;
    this.edgeCount += delta;
  }

  private checkUser(user: number): void {
    if (!(Number.isInteger(user) && user >= 0 && user < this.numUsers)) {
      throw new InvalidRatingError(`unknown user index ${user}`);
    }
  }

  private checkMovie(movie: number): void {
    if (!(Number.isInteger(movie) && movie >= 0 && movie < this.numMovies)) {
      throw new InvalidRatingError(`unknown movie index ${movie}`);
    }
  }
}

function swapRemove(list: number[], k: number): void {
  list[k] = list[list.length - 1];
  list.pop();
}
