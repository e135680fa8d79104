import { describe, expect, test } from 'vitest';
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

test('four movies at a time score bit for bit as one at a time (every remainder, exclusions, a scale)', () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const dim = 13;
  for (const numMovies of [1, 2, 3, 4, 5, 6, 7, 41]) {
    const emb = Float32Array.from({ length: numMovies * dim }, rand);
    const z = Float32Array.from({ length: dim }, rand);
    const exclude = createBitset(numMovies);
    for (let m = 0; m < numMovies; m += 3) setBit(exclude, m);
    const one = new Float32Array(numMovies);
    for (let m = 0; m < numMovies; m++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += z[j] * emb[m * dim + j];
      one[m] = hasBit(exclude, m) ? Number.NEGATIVE_INFINITY : s * 7.5;
    }
    const { index, score } = scoreCandidates(z, emb, dim, numMovies, exclude, numMovies, 7.5);
    const expected = [...one.keys()].filter((m) => !hasBit(exclude, m)).sort((a, b) => one[b] - one[a] || a - b);
    expect([...index]).toEqual(expected);
    expect([...score]).toEqual(expected.map((m) => one[m]));
  }
});

describe('reasons ("because you rated …")', () => {
  // Movie 0 is the recommendation; the others lie at decreasing similarity to it (dot products 0.9, 0.8, 0.7, 0.6).
  const emb = Float32Array.of(1, 0, 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4);
  const why = (stars: number[], count = 2, likedFrom?: number) =>
    explain(
      0,
      stars.map((s, i) => ({ movie: i + 1, stars: s })),
      emb,
      2,
      2,
      count,
      likedFrom,
    );

  test('cite the liked movies most similar to the recommendation, best first', () => {
    expect(why([4, 5, 5, 4])).toEqual([1, 2]);
    expect(why([4, 5, 5, 4], 3)).toEqual([1, 2, 3]);
    expect(why([5, 4], 5)).toEqual([1, 2]);
  });

  test('skip neutral ratings (3, and 3.5 on half-star data) and cite the liked ones below them', () => {
    expect(why([3, 5, 3.5, 4])).toEqual([2, 4]);
    expect(why([3.5, 3.5, 4.5, 3])).toEqual([3]);
    expect(why([4.5, 4, 5, 5], 2, 5)).toEqual([3, 4]);
  });

  test('compare only the taste columns: a score column (the popularity prior) never picks the reason', () => {
    // A third column that would make movie 4 the most similar by a full dot product.
    const wide = Float32Array.of(1, 0, 1, 0.9, 0.1, 0, 0.8, 0.2, 0, 0.7, 0.3, 0, 0.6, 0.4, 9);
    const rated = [5, 5, 5, 5].map((s, i) => ({ movie: i + 1, stars: s }));
    expect(explain(0, rated, wide, 3, 3)).toEqual([4, 1]);
    expect(explain(0, rated, wide, 3, 2)).toEqual([1, 2]);
  });

  test('give no reason when the most similar rated movie is a dislike', () => {
    expect(why([2, 5, 5, 5])).toEqual([]);
    expect(why([1, 5])).toEqual([]);
    expect(why([1.5, 4.5, 5])).toEqual([]);
    expect(why([2.5, 5])).toEqual([2]); // 2.5 stars is neutral, not a dislike
    expect(why([5, 1, 1, 1])).toEqual([1]); // a dislike further down never blocks the reason
  });

  test('give no reason when nothing was liked', () => {
    expect(why([])).toEqual([]);
    expect(why([3, 3, 2.5, 3.5])).toEqual([]);
  });
});
