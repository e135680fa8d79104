/**
 * A growable rating table: appends ratings into doubling typed-array columns, so a 25M-line ratings file
 * never becomes an array of objects, then hands out a `RatingTable` trimmed to its length.
 */
import { emptyRatingTable, type RatingTable } from '../../src/core/dataset.ts';

export class RatingTableBuilder {
  length = 0;
  private user: Int32Array;
  private movie: Int32Array;
  private rating: Float32Array;
  private timestamp: Uint32Array;

  constructor(initialCapacity = 1 << 16) {
    const cap = Math.max(16, initialCapacity);
    this.user = new Int32Array(cap);
    this.movie = new Int32Array(cap);
    this.rating = new Float32Array(cap);
    this.timestamp = new Uint32Array(cap);
  }

  push(user: number, movie: number, rating: number, timestamp: number): void {
    if (this.length === this.user.length) this.grow();
    const i = this.length++;
    this.user[i] = user;
    this.movie[i] = movie;
    this.rating[i] = rating;
    this.timestamp[i] = timestamp;
  }

  /** The ratings pushed so far, in push order (columns copied to exactly `length`). */
  finish(): RatingTable {
    const n = this.length;
    return {
      length: n,
      user: this.user.slice(0, n),
      movie: this.movie.slice(0, n),
      rating: this.rating.slice(0, n),
      timestamp: this.timestamp.slice(0, n),
    };
  }

  private grow(): void {
    const cap = this.user.length * 2;
    const user = new Int32Array(cap);
    user.set(this.user);
    this.user = user;
    const movie = new Int32Array(cap);
    movie.set(this.movie);
    this.movie = movie;
    const rating = new Float32Array(cap);
    rating.set(this.rating);
    this.rating = rating;
    const timestamp = new Uint32Array(cap);
    timestamp.set(this.timestamp);
    this.timestamp = timestamp;
  }
}

/** The ratings at the given row positions, in that order. */
export function selectRatings(table: RatingTable, rows: ArrayLike<number>): RatingTable {
  const n = rows.length;
  const out: RatingTable = emptyRatingTable(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    out.user[i] = table.user[r];
    out.movie[i] = table.movie[r];
    out.rating[i] = table.rating[r];
    out.timestamp[i] = table.timestamp[r];
  }
  return out;
}
