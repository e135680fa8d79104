/**
 * A tiny hand-made MovieLens-shaped data set for the eval tests: 10 users, 12 movies, ratings with known
 * timestamps (including a timestamp tie) so the protocols' reveal / positive rules can be checked by hand.
 */
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
