import { expect, test } from 'vitest';
import {
  applyFilter,
  createBitset,
  explain,
  hasBit,
  scoreCandidates,
  setBit,
} from '../../src/core/recommend/candidates.ts';

const catalog = {
  numMovies: 4,
  genreWords: 1,
  genreMask: Uint32Array.of(0b01, 0b10, 0b11, 0b00),
  year: Int16Array.of(1990, 1995, 0, 2000),
  popularity: Int32Array.of(10, 1, 50, 5),
};

test('filters rule out movies by genre, years and popularity', () => {
  const bits = (f: Parameters<typeof applyFilter>[1]) =>
    [0, 1, 2, 3].filter((m) => !hasBit(applyFilter(catalog, f, createBitset(4)), m));
  expect(bits({})).toEqual([0, 1, 2, 3]);
  expect(bits({ genres: [1] })).toEqual([1, 2]);
  expect(bits({ years: [1991, 2000] })).toEqual([1, 3]); // unknown year (movie 2) is out
  expect(bits({ minPopularity: 6 })).toEqual([0, 2]);
  expect(bits({ genres: [0], minPopularity: 20 })).toEqual([2]);
});

test('scoring skips excluded movies and ranks the rest by dot product', () => {
  const emb = Float32Array.of(1, 0, 0, 1, 0.9, 0.9, -1, 0);
  const exclude = createBitset(4);
  setBit(exclude, 2);
  const { index, score } = scoreCandidates([1, 0.5], emb, 2, 4, exclude, 3);
  expect([...index]).toEqual([0, 1, 3]);
  expect([...score]).toEqual([1, 0.5, -1]);
});

test('reasons prefer liked movies most similar to the recommendation', () => {
  const emb = Float32Array.of(1, 0, 0, 1, 0.9, 0.1, 0.1, 0.9);
  const rated = [
    { movie: 1, stars: 5 },
    { movie: 2, stars: 2 },
    { movie: 3, stars: 4 },
  ];
  expect(explain(0, rated, emb, 2, 1)).toEqual([3]);
  expect(explain(0, [{ movie: 2, stars: 2 }], emb, 2, 1)).toEqual([2]);
});
