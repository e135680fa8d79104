/**
 * MovieLens 1M: `ratings.dat`, `movies.dat` (title "Name (1995)", genres `|`-separated, Latin-1) and
 * `users.dat` (`id::gender::age code::occupation code::zip`), all `::`-separated.
 */
import { join } from 'node:path';
import type { Dataset, MovieRecord, UserRecord } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { assembleDataset } from './assemble-dataset.ts';
import { parseGender } from './ml-100k.ts';
import { readRatingsFile } from './ratings-file.ts';
import { nonEmptyLines, readText, yearFromTitle } from './text-files.ts';

export const ML1M_RATINGS_FORMAT = { separator: '::', header: null };

/** The 18 genres of ML-1M's README, in its order. */
export const ML1M_GENRES = [
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** Occupation codes 0–20 of ML-1M's README. */
export const ML1M_OCCUPATIONS = [
  'other or not specified',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
];

/**
 * ML-1M gives age groups, coded by their lower bound (1 = "under 18"). `age` keeps the code: it orders
 * the groups and standardises like an age.
 */
export const ML1M_AGE_CODES = [1, 18, 25, 35, 45, 50, 56];

export function parseMl1mMovies(text: string, file = 'movies.dat'): MovieRecord[] {
  const known = new Set(ML1M_GENRES);
  return nonEmptyLines(text).map(({ line, lineNo }) => {
    const f = line.split('::');
    const id = Number(f[0]);
    if (f.length !== 3 || !Number.isInteger(id) || id < 1) {
      throw new DatasetParseError(`${file}:${lineNo}: expected "id::title::genres", got "${line}"`);
    }
    const genres = f[2] === '' ? [] : f[2].split('|');
    for (const g of genres) if (!known.has(g)) throw new DatasetParseError(`${file}:${lineNo}: unknown genre "${g}"`);
    const title = f[1].trim();
    return { id, title, year: yearFromTitle(title), genres };
  });
}

export function parseMl1mUsers(text: string, file = 'users.dat'): UserRecord[] {
  return nonEmptyLines(text).map(({ line, lineNo }) => {
    const f = line.split('::');
    const id = Number(f[0]);
    const age = Number(f[2]);
    const occupation = Number(f[3]);
    if (f.length !== 5 || !Number.isInteger(id) || id < 1) {
      throw new DatasetParseError(`${file}:${lineNo}: expected "id::gender::age::occupation::zip", got "${line}"`);
    }
    if (!ML1M_AGE_CODES.includes(age)) throw new DatasetParseError(`${file}:${lineNo}: unknown age code "${f[2]}"`);
    if (!(Number.isInteger(occupation) && occupation >= 0 && occupation < ML1M_OCCUPATIONS.length) || f[3] === '') {
      throw new DatasetParseError(`${file}:${lineNo}: unknown occupation code "${f[3]}"`);
    }
    return { id, age, gender: parseGender(f[1], file, lineNo), occupation: ML1M_OCCUPATIONS[occupation] };
  });
}

export async function loadMl1m(dir: string, name = 'ml-1m'): Promise<Dataset> {
  const movies = parseMl1mMovies(await readText(join(dir, 'movies.dat'), 'latin1'));
  const users = parseMl1mUsers(await readText(join(dir, 'users.dat'), 'latin1'));
  const ratings = await readRatingsFile(join(dir, 'ratings.dat'), ML1M_RATINGS_FORMAT, 'ratings.dat');
  return assembleDataset({
    name,
    format: 'ml-1m',
    genres: ML1M_GENRES,
    occupations: ML1M_OCCUPATIONS,
    users,
    movies,
    ratings,
    files: { users: 'users.dat', movies: 'movies.dat', ratings: 'ratings.dat' },
  });
}
