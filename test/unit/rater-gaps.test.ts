/**
 * The rater lists' varint gap coding (src/core/snapshot/rater-gaps.ts): exact round trips (empty lists,
 * indices that need one to five bytes), the byte count it saves, and a clear failure for every way the
 * bytes can be wrong.
 */
import { expect, test } from 'vitest';
import { decodeRaterGaps, encodeRaterGaps } from '../../src/core/snapshot/rater-gaps.ts';
import { rng } from '../helpers/random-model.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

/** Random strictly increasing lists of indices below numUsers, with their degrees. */
function randomLists(r: () => number, numMovies: number, numUsers: number, density: number) {
  const degree = new Int32Array(numMovies);
  const users: number[] = [];
  for (let m = 0; m < numMovies; m++) {
    for (let u = 0; u < numUsers; u++) {
      if (r() < density) {
        users.push(u);
        degree[m]++;
      }
    }
  }
  const moviePtr = new Int32Array(numMovies + 1);
  for (let m = 0; m < numMovies; m++) moviePtr[m + 1] = moviePtr[m] + degree[m];
  return { degree, moviePtr, users: Int32Array.from(users) };
}

test('round trip: the same lists back, including empty ones; about a byte per rating when gaps are small', () => {
  const r = rng(11);
  const { degree, moviePtr, users } = randomLists(r, 60, 900, 0.06);
  degree[3] = 0; // make sure an empty list is in there
  const ptr = new Int32Array(61);
  const kept: number[] = [];
  for (let m = 0; m < 60; m++) {
    if (m !== 3) for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) kept.push(users[a]);
    ptr[m + 1] = ptr[m] + degree[m];
  }
  const lists = Int32Array.from(kept);
  const bytes = encodeRaterGaps(ptr, lists);
  const back = decodeRaterGaps(bytes, degree, 900, fail);
  expect(back.moviePtr).toEqual(ptr);
  expect(back.users).toEqual(lists);
  // Gaps of about 1 / 0.06 ≈ 17 fit one byte; each list's first index (< 900) may take two.
  expect(bytes.length).toBeLessThan(lists.length + 60 + 1);
  expect(bytes.length).toBeGreaterThanOrEqual(lists.length);
});

test('indices that need two to five bytes', () => {
  const big = [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 2_147_483_646];
  const users = Int32Array.from(big);
  const moviePtr = Int32Array.of(0, 3, big.length);
  const degree = Int32Array.of(3, big.length - 3);
  const bytes = encodeRaterGaps(moviePtr, users);
  expect(decodeRaterGaps(bytes, degree, 2_147_483_647, fail).users).toEqual(users);
  // One movie's list alone: 2_147_483_646 as a first index takes five bytes.
  expect(encodeRaterGaps(Int32Array.of(0, 1), Int32Array.of(2_147_483_646)).length).toBe(5);
});

test('the encoder refuses a list that is not strictly increasing', () => {
  expect(() => encodeRaterGaps(Int32Array.of(0, 3), Int32Array.of(1, 5, 5))).toThrow(
    /not strictly increasing at entry 2/,
  );
  expect(() => encodeRaterGaps(Int32Array.of(0, 2), Int32Array.of(4, 2))).toThrow(/not strictly increasing/);
});

test('the decoder names what is wrong: truncated, trailing bytes, an overlong number, an index out of range', () => {
  const moviePtr = Int32Array.of(0, 2, 3);
  const degree = Int32Array.of(2, 1);
  const bytes = encodeRaterGaps(moviePtr, Int32Array.of(2, 300, 7));
  expect(decodeRaterGaps(bytes, degree, 400, fail).users).toEqual(Int32Array.of(2, 300, 7));
  expect(() => decodeRaterGaps(bytes.subarray(0, bytes.length - 1), degree, 400, fail)).toThrow(
    /ends inside movie 1's list/,
  );
  expect(() => decodeRaterGaps(Uint8Array.from([...bytes, 0]), degree, 400, fail)).toThrow(/1 bytes after the last/);
  expect(() => decodeRaterGaps(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), Int32Array.of(1), 10, fail)).toThrow(
    /longer than 5 bytes/,
  );
  expect(() => decodeRaterGaps(bytes, degree, 300, fail)).toThrow(/movie 0 the user index 300, not below 300/);
});
