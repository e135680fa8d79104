/**
 * The checks every MovieLens loader ends with: users and movies sorted by id with no duplicates, and every
 * rating naming a known user and movie. Produces the `Dataset` or a `DatasetParseError` naming the file.
 */
import type { Dataset } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';

/** A data set's parts as parsed (any order), plus the file names for error messages. */
export interface DatasetParts extends Dataset {
  /** File names used in error messages. */
  files: { users: string; movies: string; ratings: string };
}

export function assembleDataset(parts: DatasetParts): Dataset {
  const users = [...parts.users].sort((a, b) => a.id - b.id);
  const movies = [...parts.movies].sort((a, b) => a.id - b.id);
  const knownUser = idSet(
    users.map((u) => u.id),
    parts.files.users,
    'user',
  );
  const knownMovie = idSet(
    movies.map((m) => m.id),
    parts.files.movies,
    'movie',
  );
  const { ratings } = parts;
  for (let i = 0; i < ratings.length; i++) {
    const u = ratings.user[i];
    if (u >= knownUser.length || knownUser[u] === 0) {
      throw new DatasetParseError(
        `${parts.files.ratings}: rating ${i + 1} names user ${u}, not in ${parts.files.users}`,
      );
    }
    const m = ratings.movie[i];
    if (m >= knownMovie.length || knownMovie[m] === 0) {
      throw new DatasetParseError(
        `${parts.files.ratings}: rating ${i + 1} names movie ${m}, not in ${parts.files.movies}`,
      );
    }
  }
  return {
    name: parts.name,
    format: parts.format,
    genres: parts.genres,
    occupations: parts.occupations,
    users,
    movies,
    ratings,
  };
}

/** A presence table indexed by id (ids are positive and at most a few hundred thousand). */
function idSet(sortedIds: number[], file: string, what: string): Uint8Array {
  const max = sortedIds.length ? sortedIds[sortedIds.length - 1] : 0;
  const present = new Uint8Array(max + 1);
  for (const id of sortedIds) {
    if (present[id]) throw new DatasetParseError(`${file}: ${what} ${id} appears twice`);
    present[id] = 1;
  }
  return present;
}
