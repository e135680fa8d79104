/**
 * The raw rating data set as every MovieLens loader returns it, before features or a graph exist.
 * Ids are the data set's own (sparse for MovieLens "latest"); nothing here is an index.
 */

export type DatasetFormat = 'ml-100k' | 'ml-1m' | 'ml-latest';

export interface MovieRecord {
  /** The data set's movie id. */
  id: number;
  title: string;
  /** Release year, or null when the data set does not give one. */
  year: number | null;
  /** Genre names, each one of `Dataset.genres`. */
  genres: string[];
  /** IMDb and TMDB ids from `links.csv` (the "latest" format); absent when the data set has no links. */
  links?: MovieLinks;
}

/**
 * A movie's ids on other sites. `imdbId` is the number of `tt0114709` (114709; shown zero-padded to 7
 * digits), `tmdbId` the number of `themoviedb.org/movie/862`; null where the data set does not give one.
 */
export interface MovieLinks {
  imdbId: number | null;
  tmdbId: number | null;
}

export type Gender = 'M' | 'F';

export interface UserRecord {
  /** The data set's user id. */
  id: number;
  age: number | null;
  gender: Gender | null;
  occupation: string | null;
}

/** Ratings as parallel columns (a 25M-rating file stays a few hundred MB). */
export interface RatingTable {
  length: number;
  /** Data set user ids. */
  user: Int32Array;
  /** Data set movie ids. */
  movie: Int32Array;
  /** Stars, 0.5–5 in half steps (ML-100K/1M use whole stars 1–5). */
  rating: Float32Array;
  /** Unix seconds. */
  timestamp: Uint32Array;
}

export interface Dataset {
  name: string;
  format: DatasetFormat;
  /** Genre vocabulary in the data set's order. */
  genres: string[];
  /** Occupation vocabulary, or null when the data set has no demographics. */
  occupations: string[] | null;
  /** Every user (with demographics where the data set has them), sorted by id. */
  users: UserRecord[];
  /** Every movie, sorted by id. */
  movies: MovieRecord[];
  ratings: RatingTable;
}

/** A zero-filled rating table of n rows. */
export function emptyRatingTable(n: number): RatingTable {
  return {
    length: n,
    user: new Int32Array(n),
    movie: new Int32Array(n),
    rating: new Float32Array(n),
    timestamp: new Uint32Array(n),
  };
}
