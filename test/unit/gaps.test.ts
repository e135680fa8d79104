/**
 * Varint gap coding of increasing lists (src/core/snapshot/gaps.ts), as the serving snapshot stores its ids,
 * title offsets and rater lists: exact round trips (empty lists, values needing one to five bytes, strict and
 * non-decreasing lists), about a byte per value when gaps are small, and a clear failure for every way the
 * bytes can be wrong.
 */
import { expect, test } from 'vitest';
import { decodeGaps, encodeGaps } from '../../src/core/snapshot/gaps.ts';
import { rng } from '../helpers/random-model.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};
const int32 = (n: number) => new Int32Array(n);
const raters = (below: number) => ({
  section: 'visitor.raters',
  strict: true,
  below,
  label: (m: number) => `movie ${m}'s list`,
});

test('round trip: the same lists back, including an empty one; about a byte per value when gaps are small', () => {
  const r = rng(11);
  const degree = new Int32Array(60);
  const users: number[] = [];
  for (let m = 0; m < 60; m++) {
    if (m === 3) continue; // an empty list
    for (let u = 0; u < 900; u++) {
      if (r() < 0.06) {
        users.push(u);
        degree[m]++;
      }
    }
  }
  const ptr = new Int32Array(61);
  for (let m = 0; m < 60; m++) ptr[m + 1] = ptr[m] + degree[m];
  const values = Int32Array.from(users);
  const bytes = encodeGaps(ptr, values, true);
  const back = decodeGaps(bytes, degree, raters(900), int32, fail);
  expect(back.ptr).toEqual(ptr);
  expect(back.values).toEqual(values);
  // Gaps of about 1 / 0.06 ≈ 17 fit one byte; each list's first index (< 900) may take two.
  expect(bytes.length).toBeLessThan(values.length + 60 + 1);
  expect(bytes.length).toBeGreaterThanOrEqual(values.length);
});

test('values that need two to five bytes, and a non-decreasing list with repeats (title offsets)', () => {
  const big = [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 2_147_483_646];
  const values = Int32Array.from(big);
  const bytes = encodeGaps([0, 3, big.length], values, true);
  const lists = { section: 's', strict: true, below: 2 ** 31 };
  expect(decodeGaps(bytes, [3, big.length - 3], lists, int32, fail).values).toEqual(values);
  // One list alone: 2_147_483_646 as a first value takes five bytes; 2^32 − 1 too (Uint32Array out).
  expect(encodeGaps([0, 1], [2_147_483_646], true).length).toBe(5);
  const top = encodeGaps([0, 2], [0, 0xffffffff], false);
  expect(
    decodeGaps(top, [2], { section: 's', strict: false, below: 2 ** 32 }, (n) => new Uint32Array(n), fail).values,
  ).toEqual(Uint32Array.of(0, 0xffffffff));
  const offsets = Uint32Array.of(0, 5, 5, 5, 30, 31);
  const coded = encodeGaps([0, offsets.length], offsets, false);
  expect(coded).toEqual(Uint8Array.of(0, 5, 0, 0, 25, 1));
  const decoded = decodeGaps(
    coded,
    [offsets.length],
    { section: 't', strict: false, below: 32 },
    (n) => new Uint32Array(n),
    fail,
  );
  expect(decoded.values).toEqual(offsets);
});

test('the encoder refuses a list that is not increasing, or starts below 0', () => {
  expect(() => encodeGaps([0, 3], [1, 5, 5], true)).toThrow(/list 0 is not strictly increasing at entry 2/);
  expect(() => encodeGaps([0, 2], [4, 2], false)).toThrow(/list 0 is not increasing at entry 1/);
  expect(() => encodeGaps([0, 1, 2], [4, -1], true)).toThrow(/list 1 starts at -1, below 0/);
});

test('the decoder names what is wrong: truncated, trailing bytes, an overlong number, a value out of range', () => {
  const degree = Int32Array.of(2, 1);
  const bytes = encodeGaps([0, 2, 3], [2, 300, 7], true);
  expect(decodeGaps(bytes, degree, raters(400), int32, fail).values).toEqual(Int32Array.of(2, 300, 7));
  expect(() => decodeGaps(bytes.subarray(0, bytes.length - 1), degree, raters(400), int32, fail)).toThrow(
    /^visitor\.raters ends inside movie 1's list \(value 3 of 3\)/,
  );
  expect(() => decodeGaps(Uint8Array.from([...bytes, 0]), degree, raters(400), int32, fail)).toThrow(
    /^visitor\.raters has 1 bytes after the last value/,
  );
  const overlong = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  expect(() => decodeGaps(overlong, [1], raters(10), int32, fail)).toThrow(
    /longer than 5 bytes at byte 5 \(movie 0's list\)/,
  );
  expect(() => decodeGaps(bytes, degree, raters(300), int32, fail)).toThrow(
    /^visitor\.raters has 300 in movie 0's list, not below 300/,
  );
  expect(() => decodeGaps(bytes, [3], { section: 'x', strict: true, below: 10 }, int32, fail)).toThrow(
    /^x has 300 in list 0, not below 10/,
  );
});
