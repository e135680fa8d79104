/**
 * Seeded synthetic MovieLens-shaped data sets for tests that need a small graph without the real data.
 */
import { type Dataset, emptyRatingTable } from '../../src/core/dataset.ts';
import { mulberry32 } from '../../src/core/random.ts';

export const seededRandom = mulberry32;

export function syntheticDataset(opts: { users: number; movies: number; ratings: number; seed: number }): Dataset {
  const rand = seededRandom(opts.seed);
  const genres = ['Action', 'Comedy', 'Drama', 'Sci-Fi'];
  const occupations = ['artist', 'engineer', 'student'];
  const users = Array.from({ length: opts.users }, (_, i) => ({
    id: 1 + i * 2,
    age: rand() < 0.2 ? null : 15 + Math.floor(rand() * 50),
    gender: rand() < 0.2 ? null : rand() < 0.5 ? ('M' as const) : ('F' as const),
    occupation: rand() < 0.2 ? null : occupations[Math.floor(rand() * occupations.length)],
  }));
  const movies = Array.from({ length: opts.movies }, (_, i) => ({
    id: 10 + i * 3,
    title: i % 5 === 0 ? `Amélie, «${i}», "quoted" (2001)` : `Movie ${i} (${1950 + i})`,
    year: i % 7 === 0 ? null : 1950 + i,
    genres: genres.filter(() => rand() < 0.4),
  }));
  const n = opts.ratings;
  const ratings = emptyRatingTable(n);
  for (let i = 0; i < n; i++) {
    ratings.user[i] = users[Math.floor(rand() * users.length)].id;
    ratings.movie[i] = movies[Math.floor(rand() * movies.length)].id;
    ratings.rating[i] = 0.5 + Math.floor(rand() * 10) / 2;
    ratings.timestamp[i] = 880_000_000 + Math.floor(rand() * 1e7);
  }
  return { name: 'synthetic', format: 'ml-latest', genres, occupations, users, movies, ratings };
}
