/**
 * MovieLens "latest" CSV (ml-latest-small, ml-latest, ml-25m, ml-32m): `ratings.csv` (header, half
 * stars, streamed) and `movies.csv` (header, RFC 4180 quoting, year at the end of the title,
 * `(no genres listed)`). No demographics: users are the distinct raters.
 */
import { join } from 'node:path';
import type { Dataset, MovieRecord, RatingTable, UserRecord } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { assembleDataset } from './assemble-dataset.ts';
import { parseCsv } from './csv.ts';
import { readRatingsFile } from './ratings-file.ts';
import { readText, yearFromTitle } from './text-files.ts';

export const ML_LATEST_RATINGS_FORMAT = { separator: ',', header: 'userId,movieId,rating,timestamp' };
export const NO_GENRES = '(no genres listed)';

/** Movies and the genre vocabulary (sorted by name; `(no genres listed)` is no genre). */
export function parseMlLatestMovies(text: string, file = 'movies.csv'): { movies: MovieRecord[]; genres: string[] } {
  const records = parseCsv(text, file);
  const header = records.shift();
  if (header?.fields.join(',') !== 'movieId,title,genres') {
    throw new DatasetParseError(`${file}:1: expected the header "movieId,title,genres"`);
  }
  const vocabulary = new Set<string>();
  const movies = records.map(({ fields, lineNo }) => {
    const id = Number(fields[0]);
    if (fields.length !== 3 || !Number.isInteger(id) || id < 1) {
      throw new DatasetParseError(`${file}:${lineNo}: expected 3 fields "movieId,title,genres"`);
    }
    const genres = fields[2] === NO_GENRES || fields[2] === '' ? [] : fields[2].split('|');
    for (const g of genres) vocabulary.add(g);
    const title = fields[1].trim();
    return { id, title, year: yearFromTitle(title), genres };
  });
  return { movies, genres: [...vocabulary].sort() };
}

/** One user without demographics per distinct rater. */
export function ratersOf(ratings: RatingTable): UserRecord[] {
  let max = 0;
  for (let i = 0; i < ratings.length; i++) max = Math.max(max, ratings.user[i]);
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < ratings.length; i++) seen[ratings.user[i]] = 1;
  const users: UserRecord[] = [];
  for (let id = 1; id <= max; id++) {
    if (seen[id]) users.push({ id, age: null, gender: null, occupation: null });
  }
  return users;
}

export async function loadMlLatest(dir: string, name: string): Promise<Dataset> {
  const { movies, genres } = parseMlLatestMovies(await readText(join(dir, 'movies.csv'), 'utf8'));
  const ratings = await readRatingsFile(join(dir, 'ratings.csv'), ML_LATEST_RATINGS_FORMAT, 'ratings.csv');
  return assembleDataset({
    name,
    format: 'ml-latest',
    genres,
    occupations: null,
    users: ratersOf(ratings),
    movies,
    ratings,
    files: { users: 'ratings.csv', movies: 'movies.csv', ratings: 'ratings.csv' },
  });
}
