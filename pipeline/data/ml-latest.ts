/**
 * MovieLens "latest" CSV (ml-latest-small, ml-latest, ml-25m, ml-32m): `ratings.csv` (header, half
 * stars, streamed), `movies.csv` (header, RFC 4180 quoting, year at the end of the title,
 * `(no genres listed)`) and, where present, `links.csv` (IMDb and TMDB ids). No demographics: users are
 * the distinct raters.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, MovieLinks, MovieRecord, RatingTable, UserRecord } from '../../src/core/dataset.ts';
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

/** Largest id a link may hold (the snapshot stores them as u32; real ids are far smaller). */
const MAX_LINK_ID = 2 ** 31 - 1;

/**
 * `links.csv`: `movieId,imdbId,tmdbId` per movie. `imdbId` is the digits after `tt` (leading zeros kept in
 * the file, e.g. `0114709`; read as a number and shown padded back to 7 digits); `tmdbId` may be empty.
 * An id that is empty or 0 is null. A movie listed twice, or a non-numeric id, is an error with the line.
 */
export function parseMlLatestLinks(text: string, file = 'links.csv'): Map<number, MovieLinks> {
  const records = parseCsv(text, file);
  const header = records.shift();
  if (header?.fields.join(',') !== 'movieId,imdbId,tmdbId') {
    throw new DatasetParseError(`${file}:1: expected the header "movieId,imdbId,tmdbId"`);
  }
  const optionalId = (field: string, what: string, lineNo: number): number | null => {
    const digits = field.trim();
    if (digits === '') return null;
    if (!/^\d{1,10}$/.test(digits) || Number(digits) > MAX_LINK_ID) {
      throw new DatasetParseError(`${file}:${lineNo}: ${what} "${field}" is not a number`);
    }
    return Number(digits) || null;
  };
  const links = new Map<number, MovieLinks>();
  for (const { fields, lineNo } of records) {
    const id = Number(fields[0]);
    if (fields.length !== 3 || !/^\d+$/.test(fields[0]) || !Number.isInteger(id) || id < 1) {
      throw new DatasetParseError(`${file}:${lineNo}: expected 3 fields "movieId,imdbId,tmdbId"`);
    }
    if (links.has(id)) throw new DatasetParseError(`${file}:${lineNo}: movie ${id} appears twice`);
    links.set(id, { imdbId: optionalId(fields[1], 'imdbId', lineNo), tmdbId: optionalId(fields[2], 'tmdbId', lineNo) });
  }
  return links;
}

/**
 * The movies with their links attached (`{imdbId: null, tmdbId: null}` for a movie `links.csv` leaves
 * out). A link for a movie that `movies.csv` lacks is an error: the files come from different releases.
 */
export function attachLinks(movies: MovieRecord[], links: Map<number, MovieLinks>, file = 'links.csv'): MovieRecord[] {
  const known = new Set(movies.map((m) => m.id));
  for (const id of links.keys()) {
    if (!known.has(id)) throw new DatasetParseError(`${file}: movie ${id} is not in movies.csv`);
  }
  return movies.map((m) => ({ ...m, links: links.get(m.id) ?? { imdbId: null, tmdbId: null } }));
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
  const parsed = parseMlLatestMovies(await readText(join(dir, 'movies.csv'), 'utf8'));
  const { genres } = parsed;
  const linksFile = join(dir, 'links.csv');
  const movies = existsSync(linksFile)
    ? attachLinks(parsed.movies, parseMlLatestLinks(await readText(linksFile, 'utf8')))
    : parsed.movies;
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
