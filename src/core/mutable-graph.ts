/**
 * The worker's live rating graph: an immutable base `RatingGraph` (views into the snapshot) plus
 * in-place edits — appended users (visitors), set and removed ratings — in O(log degree) per edit on a
 * base edge, never a rebuild. Base edges are tombstoned when removed (and revived when re-set); new edges
 * live in small per-user overflow lists. `toRatingGraph()` materialises a plain CSR for a full forward.
 * Pure: no DOM or Node imports.
 */
import { InvalidRatingError } from './errors.ts';
import { buildCsr, type RatingGraph } from './graph.ts';

/** New edges of one user (parallel lists, unordered). */
interface OverflowEdges {
  movie: number[];
  rating: number[];
  time: number[];
}

type NeighbourVisitor = (neighbour: number, rating: number, time: number) => void;

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
  private readonly userOverflow: (OverflowEdges | undefined)[] = [];
  private appendedFeatures: Float32Array;
  private readonly appendedIds: number[] = [];

  constructor(base: RatingGraph) {
    this.base = base;
    this.numMovies = base.numMovies;
    this.userFeatureDim = base.userFeatureDim;
    this.movieFeatureDim = base.movieFeatureDim;
    this.edgeCount = base.numEdges;
    this.removed = new Uint8Array(base.numEdges);
    this.appendedFeatures = new Float32Array(16 * base.userFeatureDim);
  }

  get numUsers(): number {
    return this.base.numUsers + this.appendedIds.length;
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
    return this.base.numUsers + k;
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
      this.edgeCount++;
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
    this.edgeCount++;
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
      this.edgeCount--;
      return true;
    }
    const list = this.userOverflow[user];
    const k = list ? list.movie.indexOf(movie) : -1;
    if (!list || k < 0) return false;
    swapRemove(list.movie, k);
    swapRemove(list.rating, k);
    swapRemove(list.time, k);
    this.edgeCount--;
    return true;
  }

  /** Calls `visit(movie, rating, time)` for each movie the user rated (base edges first, by movie). */
  private forEachMovieOf(user: number, visit: NeighbourVisitor): void {
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
