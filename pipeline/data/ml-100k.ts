/**
 * MovieLens 100K: `u.data` (tab-separated ratings), `u.item` (Latin-1, `|`-separated, release date
 * `01-Jan-1995`, 19 genre flags), `u.user` (`id|age|gender|occupation|zip`), and the `u.genre` /
 * `u.occupation` vocabularies. The official splits (`u1.base` …) share the ratings format.
 */
import { join } from 'node:path';
import type { Dataset, Gender, MovieRecord, UserRecord } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { assembleDataset } from './assemble-dataset.ts';
import { readRatingsFile } from './ratings-file.ts';
import { nonEmptyLines, readText, yearFromTitle } from './text-files.ts';

export const ML100K_RATINGS_FORMAT = { separator: '\t', header: null };

/** `u.genre`: `name|index` lines, in index order. */
export function parseMl100kGenres(text: string, file = 'u.genre'): string[] {
  const genres: string[] = [];
  for (const { line, lineNo } of nonEmptyLines(text)) {
    const [name, index] = line.split('|');
    if (name === undefined || Number(index) !== genres.length) {
      throw new DatasetParseError(`${file}:${lineNo}: expected "name|${genres.length}", got "${line}"`);
    }
    genres.push(name);
  }
  return genres;
}

/** `u.occupation`: one name a line. */
export function parseMl100kOccupations(text: string): string[] {
  return nonEmptyLines(text).map(({ line }) => line.trim());
}

const RELEASE_DATE = /^\d{1,2}-[A-Za-z]{3}-(\d{4})$/;

/** `u.item`: `id|title|release date|video release date|IMDb URL|flag×genres.length`. */
export function parseMl100kItems(text: string, genres: string[], file = 'u.item'): MovieRecord[] {
  const movies: MovieRecord[] = [];
  for (const { line, lineNo } of nonEmptyLines(text)) {
    const f = line.split('|');
    const id = Number(f[0]);
    if (f.length !== 5 + genres.length || !Number.isInteger(id) || id < 1) {
      throw new DatasetParseError(
        `${file}:${lineNo}: expected "id|title|release date|video release date|url" and ${genres.length} genre flags`,
      );
    }
    const title = f[1].trim();
    const date = RELEASE_DATE.exec(f[2].trim());
    const movieGenres: string[] = [];
    for (let g = 0; g < genres.length; g++) {
      const flag = f[5 + g];
      if (flag !== '0' && flag !== '1')
        throw new DatasetParseError(`${file}:${lineNo}: genre flag "${flag}" is not 0/1`);
      if (flag === '1') movieGenres.push(genres[g]);
    }
    movies.push({ id, title, year: date ? Number(date[1]) : yearFromTitle(title), genres: movieGenres });
  }
  return movies;
}

/** `u.user`: `id|age|gender|occupation|zip`. */
export function parseMl100kUsers(text: string, occupations: string[], file = 'u.user'): UserRecord[] {
  const known = new Set(occupations);
  const users: UserRecord[] = [];
  for (const { line, lineNo } of nonEmptyLines(text)) {
    const [idText, ageText, genderText, occupation] = line.split('|');
    const id = Number(idText);
    const age = ageText === '' ? null : Number(ageText);
    if (!Number.isInteger(id) || id < 1 || (age !== null && !(age >= 0 && age < 130)) || occupation === undefined) {
      throw new DatasetParseError(`${file}:${lineNo}: expected "id|age|gender|occupation|zip", got "${line}"`);
    }
    if (!known.has(occupation)) throw new DatasetParseError(`${file}:${lineNo}: unknown occupation "${occupation}"`);
    users.push({ id, age, gender: parseGender(genderText, file, lineNo), occupation });
  }
  return users;
}

/** `M` / `F` (ML-100K and ML-1M), `''` for unknown. */
export function parseGender(text: string | undefined, file: string, lineNo: number): Gender | null {
  if (text === 'M' || text === 'F') return text;
  if (text === '') return null;
  throw new DatasetParseError(`${file}:${lineNo}: gender "${text}" is not M or F`);
}

/** Loads ML-100K from `dir`; `ratingsFile` picks `u.data` (default) or a split such as `u1.base`. */
export async function loadMl100k(dir: string, ratingsFile = 'u.data'): Promise<Dataset> {
  const genres = parseMl100kGenres(await readText(join(dir, 'u.genre'), 'latin1'));
  const occupations = parseMl100kOccupations(await readText(join(dir, 'u.occupation'), 'latin1'));
  const movies = parseMl100kItems(await readText(join(dir, 'u.item'), 'latin1'), genres);
  const users = parseMl100kUsers(await readText(join(dir, 'u.user'), 'latin1'), occupations);
  const ratings = await readRatingsFile(join(dir, ratingsFile), ML100K_RATINGS_FORMAT, ratingsFile);
  return assembleDataset({
    name: ratingsFile === 'u.data' ? 'ml-100k' : `ml-100k/${ratingsFile}`,
    format: 'ml-100k',
    genres,
    occupations,
    users,
    movies,
    ratings,
    files: { users: 'u.user', movies: 'u.item', ratings: ratingsFile },
  });
}
