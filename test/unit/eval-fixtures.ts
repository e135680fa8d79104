/**
 * A tiny hand-made MovieLens-shaped data set for the eval tests: 10 users, 12 movies, ratings with known
 * timestamps (including a timestamp tie) so the protocols' reveal / positive rules can be checked by hand.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainFn } from '../../pipeline/eval/model.ts';
import { createParamBuffer, identityCalibration, initParams } from '../../pipeline/train/param-buffer.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import type { Dataset, RatingTable } from '../../src/core/dataset.ts';

/** Ratings as [user, movie, stars, time] rows. */
export function ratingTable(rows: [number, number, number, number][]): RatingTable {
  return {
    length: rows.length,
    user: Int32Array.from(rows, (r) => r[0]),
    movie: Int32Array.from(rows, (r) => r[1]),
    rating: Float32Array.from(rows, (r) => r[2]),
    timestamp: Uint32Array.from(rows, (r) => r[3]),
  };
}

/** User u (1..10) rates movies u, u+1, …, u+6 (mod 12, ids 1..12) at times 1000·u + 10·k, stars 1 + (u+k) % 5. */
export function tinyDataset(): Dataset {
  const rows: [number, number, number, number][] = [];
  for (let u = 1; u <= 10; u++) {
    for (let k = 0; k < 7; k++) rows.push([u, ((u + k - 1) % 12) + 1, 1 + ((u + k) % 5), 1000 * u + 10 * k]);
  }
  // A timestamp tie for user 3: movie 12 rated at the same second as its first rating (movie 3).
  rows.push([3, 12, 5, 3000]);
  const genres = ['Action', 'Comedy', 'Drama'];
  return {
    name: 'tiny',
    format: 'ml-100k',
    genres,
    occupations: ['other', 'student'],
    users: Array.from({ length: 10 }, (_, i) => ({
      id: i + 1,
      age: 20 + i,
      gender: i % 2 ? 'F' : 'M',
      occupation: i % 3 ? 'other' : 'student',
    })),
    movies: Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      title: `Movie ${i + 1}`,
      year: 1990 + i,
      genres: [genres[i % 3]],
    })),
    ratings: ratingTable(rows),
  };
}

/**
 * Writes a small made-up data set in the MovieLens "latest" CSV format (half stars, CRLF line endings,
 * sparse movie ids, a quoted title) into `dir`: `users` users each rating 12–24 of `movies` movies, with
 * taste clusters so a neighbourhood method has something to find. Returns the number of ratings.
 */
export function writeLatestDataset(dir: string, users = 40, movies = 60): number {
  let state = 12345;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const movieId = (i: number) => (i < movies / 2 ? i + 1 : 1000 + i * 7);
  const genres = ['Action', 'Comedy', 'Drama', 'Sci-Fi'];
  const movieLines = ['movieId,title,genres'];
  for (let i = 0; i < movies; i++) {
    const title = i === 3 ? '"Matrix, The (1999)"' : `Movie ${i} (${1990 + (i % 29)})`;
    movieLines.push(
      `${movieId(i)},${title},${i % 11 === 0 ? '(no genres listed)' : `${genres[i % 4]}|${genres[(i + 1) % 4]}`}`,
    );
  }
  const ratingLines = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= users; u++) {
    const taste = u % 4;
    const count = 12 + Math.floor(rand() * 13);
    const seen = new Set<number>();
    let t = 1_500_000_000 + u * 10_000;
    while (seen.size < count) {
      const i = Math.floor(rand() * movies);
      if (seen.has(i)) continue;
      seen.add(i);
      const liked = i % 4 === taste;
      const stars = Math.min(5, Math.max(0.5, Math.round(2 * ((liked ? 4.2 : 2.6) + (rand() - 0.5) * 2.5)) / 2));
      ratingLines.push(`${u},${movieId(i)},${stars.toFixed(1)},${t}`);
      t += 1 + Math.floor(rand() * 100);
    }
  }
  writeFileSync(join(dir, 'movies.csv'), `${movieLines.join('\r\n')}\r\n`);
  writeFileSync(join(dir, 'ratings.csv'), `${ratingLines.join('\r\n')}\r\n`);
  return ratingLines.length - 1;
}

/** A random untrained model (seeded by the fit seed) whose rating head reads the score: fast stand-in training. */
export const randomTrain: TrainFn = (graph, ctx) => {
  const buf = createParamBuffer(
    {
      config: { hiddenDim: 4, outDim: 4, movieIdEmbeddingDim: 2, skip: 'concat', normalize: true, temperature: 0.5 },
      userFeatureDim: graph.userFeatureDim,
      movieFeatureDim: graph.movieFeatureDim,
      numMovies: graph.numMovies,
    },
    (k) => new Float32Array(k),
  );
  initParams(buf, new Rng(ctx.seed));
  const calibration = { ...identityCalibration(graph.numMovies), slope: 0.4, userBiasWeight: 1 };
  return { params: { ...buf.params, calibration }, usesDemographics: false };
};
