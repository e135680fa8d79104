/**
 * The node feature spec and its frozen scalers: which column means what, and the means/stds/vocabularies
 * fitted once on the training ratings. The pipeline fits it; the snapshot stores it; the browser uses it to
 * compute a visitor's user row. Pure: no DOM or Node imports.
 *
 * Movie row: genre multi-hot | year (standardised, 0 when unknown) | year_unknown | log_popularity
 * (log1p of the number of training ratings, standardised) | mean_rating (training mean shrunk towards the
 * global mean with `priorWeight` pseudo-ratings, standardised).
 * User row: age (standardised, 0 when unknown) | age_unknown | gender one-hot | gender_unknown |
 * occupation one-hot | occupation_unknown | no_demographics. A visitor without demographics gets the
 * valid row `userFeatureRow(spec, null)`.
 */
import type { Dataset, Gender, MovieRecord, RatingTable } from './dataset.ts';
import { ArtifactFormatError } from './errors.ts';

export const FEATURE_SPEC_VERSION = 1;

export interface Standardiser {
  mean: number;
  std: number;
}

export interface FeatureSpec {
  version: number;
  /** Genre vocabulary (one multi-hot column each). */
  genres: string[];
  /** Occupation vocabulary (one one-hot column each); empty when the data set has no demographics. */
  occupations: string[];
  /** Name of every movie feature column, in row order. */
  movieColumns: string[];
  /** Name of every user feature column, in row order. */
  userColumns: string[];
  movieYear: Standardiser;
  movieLogPopularity: Standardiser;
  movieMeanRating: Standardiser & { globalMean: number; priorWeight: number };
  userAge: Standardiser;
}

/** A person's optional demographics (a data set user or a visitor). */
export interface Demographics {
  age: number | null;
  gender: Gender | null;
  occupation: string | null;
}

/** A movie's training-rating statistics. */
export interface MovieRatingStats {
  count: number;
  sum: number;
}

export const GENDERS: readonly Gender[] = ['M', 'F'];
/** Pseudo-ratings at the global mean added to every movie's mean rating. */
export const MEAN_RATING_PRIOR_WEIGHT = 5;

export function movieColumnNames(genres: string[]): string[] {
  return [...genres.map((g) => `genre:${g}`), 'year', 'year_unknown', 'log_popularity', 'mean_rating'];
}

export function userColumnNames(occupations: string[]): string[] {
  return [
    'age',
    'age_unknown',
    ...GENDERS.map((g) => `gender:${g}`),
    'gender_unknown',
    ...occupations.map((o) => `occupation:${o}`),
    'occupation_unknown',
    'no_demographics',
  ];
}

/**
 * Per-movie count and sum of ratings, given each rating's movie index (ratings with an index outside
 * 0..numMovies-1 are a caller error and throw).
 */
export function movieRatingStats(
  numMovies: number,
  movieIndex: ArrayLike<number>,
  rating: ArrayLike<number>,
): { count: Int32Array; sum: Float64Array } {
  const count = new Int32Array(numMovies);
  const sum = new Float64Array(numMovies);
  for (let i = 0; i < movieIndex.length; i++) {
    const m = movieIndex[i];
    if (!(m >= 0 && m < numMovies)) throw new RangeError(`rating ${i}: movie index ${m} out of range`);
    count[m]++;
    sum[m] += rating[i];
  }
  return { count, sum };
}

/**
 * Fits every scaler. Popularity and mean rating come only from `trainingRatings` (so evaluation splits do
 * not leak); the age scaler only from users who have a training rating.
 */
export function fitFeatureScalers(dataset: Dataset, trainingRatings: RatingTable): FeatureSpec {
  const movieIndex = new Map<number, number>();
  dataset.movies.forEach((m, i) => {
    movieIndex.set(m.id, i);
  });
  const idx = new Int32Array(trainingRatings.length);
  for (let i = 0; i < trainingRatings.length; i++) {
    const m = movieIndex.get(trainingRatings.movie[i]);
    if (m === undefined) throw new RangeError(`training rating ${i} names unknown movie ${trainingRatings.movie[i]}`);
    idx[i] = m;
  }
  const stats = movieRatingStats(dataset.movies.length, idx, trainingRatings.rating);
  let total = 0;
  for (let i = 0; i < trainingRatings.length; i++) total += trainingRatings.rating[i];
  const globalMean = trainingRatings.length ? total / trainingRatings.length : 0;
  const priorWeight = MEAN_RATING_PRIOR_WEIGHT;

  const years: number[] = [];
  const logPop: number[] = [];
  const shrunk: number[] = [];
  dataset.movies.forEach((movie, i) => {
    if (movie.year !== null) years.push(movie.year);
    logPop.push(Math.log1p(stats.count[i]));
    shrunk.push(shrunkMean(stats.sum[i], stats.count[i], globalMean, priorWeight));
  });

  const raters = new Set<number>();
  for (let i = 0; i < trainingRatings.length; i++) raters.add(trainingRatings.user[i]);
  const ages = dataset.users.filter((u) => u.age !== null && raters.has(u.id)).map((u) => u.age as number);

  const occupations = dataset.occupations ?? [];
  return {
    version: FEATURE_SPEC_VERSION,
    genres: [...dataset.genres],
    occupations: [...occupations],
    movieColumns: movieColumnNames(dataset.genres),
    userColumns: userColumnNames(occupations),
    movieYear: standardiser(years),
    movieLogPopularity: standardiser(logPop),
    movieMeanRating: { ...standardiser(shrunk), globalMean, priorWeight },
    userAge: standardiser(ages),
  };
}

function shrunkMean(sum: number, count: number, globalMean: number, priorWeight: number): number {
  return (sum + priorWeight * globalMean) / (count + priorWeight);
}

/** Mean and population std; std 1 when there is no spread (or no value), so scaling never divides by 0. */
function standardiser(values: number[]): Standardiser {
  if (values.length === 0) return { mean: 0, std: 1 };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length);
  return { mean, std: std > 1e-9 ? std : 1 };
}

function scale(s: Standardiser, v: number): number {
  return (v - s.mean) / s.std;
}

/** A movie's feature row (`spec.movieColumns` order) from its metadata and training-rating stats. */
export function movieFeatureRow(
  spec: FeatureSpec,
  movie: Pick<MovieRecord, 'year' | 'genres'>,
  stats: MovieRatingStats,
): Float32Array {
  const row = new Float32Array(spec.movieColumns.length);
  for (const g of movie.genres) {
    const k = spec.genres.indexOf(g);
    if (k >= 0) row[k] = 1;
  }
  let c = spec.genres.length;
  if (movie.year !== null) row[c] = scale(spec.movieYear, movie.year);
  else row[c + 1] = 1;
  c += 2;
  row[c++] = scale(spec.movieLogPopularity, Math.log1p(stats.count));
  const r = spec.movieMeanRating;
  row[c] = scale(r, shrunkMean(stats.sum, stats.count, r.globalMean, r.priorWeight));
  return row;
}

/** A user's (or visitor's) feature row (`spec.userColumns` order); null means no demographics at all. */
export function userFeatureRow(spec: FeatureSpec, demographics: Demographics | null): Float32Array {
  const row = new Float32Array(spec.userColumns.length);
  const d = demographics ?? { age: null, gender: null, occupation: null };
  let c = 0;
  if (d.age !== null && Number.isFinite(d.age)) row[c] = scale(spec.userAge, d.age);
  else row[c + 1] = 1;
  c += 2;
  const g = d.gender === null ? -1 : GENDERS.indexOf(d.gender);
  if (g >= 0) row[c + g] = 1;
  else row[c + GENDERS.length] = 1;
  c += GENDERS.length + 1;
  const o = d.occupation === null ? -1 : spec.occupations.indexOf(d.occupation);
  if (o >= 0) row[c + o] = 1;
  else row[c + spec.occupations.length] = 1;
  c += spec.occupations.length + 1;
  if (d.age === null && d.gender === null && d.occupation === null) row[c] = 1;
  return row;
}

/** Checks a parsed JSON value is a FeatureSpec this code can use; `ArtifactFormatError` naming `file` if not. */
export function parseFeatureSpec(json: unknown, file: string): FeatureSpec {
  const fail = (problem: string): never => {
    throw new ArtifactFormatError(file, `feature spec: ${problem}`);
  };
  if (typeof json !== 'object' || json === null) return fail('not an object');
  const s = json as Record<string, unknown>;
  if (s.version !== FEATURE_SPEC_VERSION) fail(`unsupported version ${String(s.version)}`);
  const strings = (key: string): string[] => {
    const v = s[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return fail(`${key} is not a list of names`);
    return v as string[];
  };
  const scaler = (key: string): Standardiser => {
    const v = s[key] as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null) return fail(`${key} is missing`);
    for (const k of Object.keys(v)) {
      if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) fail(`${key}.${k} is not a finite number`);
    }
    if (typeof v.mean !== 'number' || typeof v.std !== 'number' || !((v.std as number) > 0)) {
      fail(`${key} needs a mean and a positive std`);
    }
    return v as unknown as Standardiser;
  };
  const genres = strings('genres');
  const occupations = strings('occupations');
  const movieColumns = strings('movieColumns');
  const userColumns = strings('userColumns');
  if (movieColumns.join('\n') !== movieColumnNames(genres).join('\n')) fail('movie columns do not match the genres');
  if (userColumns.join('\n') !== userColumnNames(occupations).join('\n')) {
    fail('user columns do not match the occupations');
  }
  const movieMeanRating = scaler('movieMeanRating') as FeatureSpec['movieMeanRating'];
  if (typeof movieMeanRating.globalMean !== 'number' || typeof movieMeanRating.priorWeight !== 'number') {
    fail('movieMeanRating needs globalMean and priorWeight');
  }
  return {
    version: FEATURE_SPEC_VERSION,
    genres,
    occupations,
    movieColumns,
    userColumns,
    movieYear: scaler('movieYear'),
    movieLogPopularity: scaler('movieLogPopularity'),
    movieMeanRating,
    userAge: scaler('userAge'),
  };
}
