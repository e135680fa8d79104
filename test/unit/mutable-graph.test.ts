import { expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { InvalidRatingError } from '../../src/core/errors.ts';
import { buildCsr } from '../../src/core/graph.ts';
import { MutableRatingGraph } from '../../src/core/mutable-graph.ts';
import { seededRandom, syntheticDataset } from '../support/synthetic-dataset.ts';

const base = buildGraph(syntheticDataset({ users: 30, movies: 20, ratings: 250, seed: 11 })).graph;

function baseEdges(): Map<string, { u: number; m: number; r: number; t: number }> {
  const edges = new Map<string, { u: number; m: number; r: number; t: number }>();
  for (let u = 0; u < base.numUsers; u++) {
    for (let e = base.userPtr[u]; e < base.userPtr[u + 1]; e++) {
      const m = base.edgeMovie[e];
      edges.set(`${u},${m}`, { u, m, r: base.edgeRating[e], t: base.edgeTime[e] });
    }
  }
  return edges;
}

test.each([1, 2, 3, 4, 5])('random adds/changes/removes (seed %i) equal buildCsr on the final edge set', (seed) => {
  const rand = seededRandom(seed);
  const g = new MutableRatingGraph(base);
  const expected = baseEdges();
  const extraFeatures: Float32Array[] = [];
  for (let step = 0; step < 600; step++) {
    const op = rand();
    if (op < 0.03) {
      const row = Float32Array.from({ length: base.userFeatureDim }, () => rand());
      extraFeatures.push(row);
      expect(g.appendUser(row)).toBe(base.numUsers + extraFeatures.length - 1);
      continue;
    }
    const u = Math.floor(rand() * g.numUsers);
    const m = Math.floor(rand() * base.numMovies);
    const key = `${u},${m}`;
    const r = 0.5 + Math.floor(rand() * 10) / 2;
    const t = 1_000 + step;
    if (op < 0.6) {
      const result = g.setRating(u, m, r, t);
      expect(result).toBe(expected.has(key) ? 'changed' : 'added');
      expected.set(key, { u, m, r, t });
    } else {
      expect(g.removeRating(u, m)).toBe(expected.delete(key));
    }
    const current = g.getRating(u, m);
    const want = expected.get(key);
    expect(current).toEqual(want ? { rating: want.r, time: want.t } : null);
  }

  // The materialised graph equals a fresh CSR over the same edges.
  const list = [...expected.values()];
  const numUsers = base.numUsers + extraFeatures.length;
  const csr = buildCsr(
    numUsers,
    base.numMovies,
    Int32Array.from(list, (x) => x.u),
    Int32Array.from(list, (x) => x.m),
    Float32Array.from(list, (x) => x.r),
    Uint32Array.from(list, (x) => x.t),
  );
  const out = g.toRatingGraph();
  expect(out.numUsers).toBe(numUsers);
  for (const k of Object.keys(csr) as (keyof typeof csr)[]) expect(out[k], k).toEqual(csr[k]);
  expect(out.userFeatures.subarray(0, base.userFeatures.length)).toEqual(base.userFeatures);
  extraFeatures.forEach((row, k) => {
    const d = base.userFeatureDim;
    expect(out.userFeatures.subarray((base.numUsers + k) * d, (base.numUsers + k + 1) * d)).toEqual(row);
    expect(out.userIds[base.numUsers + k]).toBe(-(k + 1));
  });
  // The base graph (snapshot views) is never written to.
  expect(base.numEdges).toBe(baseEdges().size);
});

test('the base arrays are left untouched by changes', () => {
  const before = base.edgeRating.slice();
  const g = new MutableRatingGraph(base);
  g.setRating(0, base.edgeMovie[0], before[0] === 5 ? 1 : 5, 1);
  g.removeRating(0, base.edgeMovie[0]);
  expect(base.edgeRating).toEqual(before);
});

test('set, change and invalid input', () => {
  const g = new MutableRatingGraph(base);
  const v = g.appendUser(new Float32Array(base.userFeatureDim));
  expect(g.setRating(v, 3, 4, 1)).toBe('added');
  expect(g.setRating(v, 3, 2.5, 3)).toBe('changed');
  expect(g.getRating(v, 3)).toEqual({ rating: 2.5, time: 3 });
  expect(g.getRating(v, 4)).toBeNull();
  expect(() => g.setRating(v + 1, 3, 4, 1)).toThrow(InvalidRatingError);
  expect(() => g.setRating(v, base.numMovies, 4, 1)).toThrow(/unknown movie/);
  expect(() => g.setRating(v, 0, 6, 1)).toThrow(/not 0.5–5/);
  expect(() => g.appendUser(new Float32Array(1))).toThrow(RangeError);
});
