import { expect, test } from 'vitest';
import { ProfileImportError } from '../../src/core/errors.ts';
import { exportProfile, parseProfile, ratingProblem } from '../../src/core/profile-io.ts';

const rules = { hasMovie: (id: number) => id >= 1 && id <= 1682, minStars: 1, maxStars: 5, step: 1 };

test('an export imports back to the same ratings', () => {
  const ratings = [
    { movieId: 50, stars: 5, time: 1000 },
    { movieId: 1, stars: 3, time: 2000 },
  ];
  const back = parseProfile(exportProfile(ratings, 'ml-100k'), rules);
  expect(back).toEqual([ratings[1], ratings[0]]);
});

test('the CLI’s plain list is accepted, with times filled in', () => {
  expect(parseProfile('[{"movieId": 7, "rating": 4}]', rules, 99)).toEqual([{ movieId: 7, stars: 4, time: 99 }]);
});

test.each([
  ['not json', /not valid JSON/],
  ['{"hello": 1}', /neither a CineSage ratings export/],
  ['{"format": "cinesage-ratings", "version": 9, "ratings": []}', /version 9/],
  ['[{"movieId": 99999, "rating": 4}]', /movie 99999 is not in this catalog/],
  ['[{"movieId": 5, "rating": 4}, {"movieId": 5, "rating": 2}]', /Entry 2: movie 5 is rated twice/],
  ['[{"movieId": 5, "rating": 7}]', /outside 1–5 stars/],
  ['[{"movieId": 5, "rating": 3.5}]', /whole stars/],
  ['[{"movieId": "5", "rating": 3}]', /Entry 1 has no whole-number "movieId"/],
  ['[3]', /Entry 1 is not an object/],
])('refuses %s with a message that names the problem', (text, message) => {
  expect(() => parseProfile(text, rules)).toThrowError(ProfileImportError);
  expect(() => parseProfile(text, rules)).toThrowError(message);
});

test('half-star data sets accept half stars', () => {
  const half = { ...rules, minStars: 0.5, step: 0.5 };
  expect(ratingProblem(3.5, half)).toBeNull();
  expect(ratingProblem(3.25, half)).toMatch(/steps of 0.5 stars/);
  expect(ratingProblem(Number.NaN, half)).toMatch(/not a number/);
});
