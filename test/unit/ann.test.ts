/**
 * The IVF index of src/core/recommend/ann.ts on seeded random data: recall@20 against exact scoring on
 * clustered unit vectors (the shape of normalised embeddings), exactness when every list is scanned,
 * exclusions honoured, and k results even when almost everything is excluded.
 */
import { describe, expect, test } from 'vitest';
import { IvfIndex, recallAt } from '../../src/core/recommend/ann.ts';
import { scoreCandidates } from '../../src/core/recommend/candidates.ts';
import { createBitset, hasBit, setBit } from '../../src/core/recommend/rank.ts';
import { rng } from '../helpers/random-model.ts';

/** n unit vectors around `clusters` random centres (Gaussian noise), plus matching queries. */
function clustered(seed: number, n: number, dim: number, clusters: number): Float32Array {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const centres = Float32Array.from({ length: clusters * dim }, gauss);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * clusters);
    let ss = 0;
    for (let j = 0; j < dim; j++) {
      const v = centres[c * dim + j] + 0.8 * gauss();
      x[i * dim + j] = v;
      ss += v * v;
    }
    for (let j = 0; j < dim; j++) x[i * dim + j] /= Math.sqrt(ss);
  }
  return x;
}

const N = 20_000;
const DIM = 32;
const items = clustered(1, N, DIM, 64);
const queries = clustered(2, 40, DIM, 64);
const index = new IvfIndex(items, N, DIM, { seed: 3 });

function randomExclusion(seed: number, share: number): Uint8Array {
  const r = rng(seed);
  const bits = createBitset(N);
  for (let m = 0; m < N; m++) if (r() < share) setBit(bits, m);
  return bits;
}

describe('IvfIndex', () => {
  test('recall@20 against exact scoring is at least 0.9 while scanning a small share of the items', () => {
    let recall = 0;
    let scanned = 0;
    for (let q = 0; q < 40; q++) {
      const z = queries.subarray(q * DIM, (q + 1) * DIM);
      const exclude = randomExclusion(100 + q, 0.01);
      const exact = scoreCandidates(z, items, DIM, N, exclude, 20, 10);
      const approx = index.query(z, 20, exclude, 10);
      recall += recallAt(exact.index, approx.index);
      scanned += approx.scanned;
    }
    expect(recall / 40).toBeGreaterThanOrEqual(0.9);
    expect(scanned / 40).toBeLessThan(N / 4);
  });

  test('scanning every list with a full re-rank gives exactly the exact top-20, scores included', () => {
    const full = new IvfIndex(items, N, DIM, { seed: 3, nprobe: 1e9, rerank: N });
    for (let q = 0; q < 5; q++) {
      const z = queries.subarray(q * DIM, (q + 1) * DIM);
      const exclude = randomExclusion(200 + q, 0.05);
      const exact = scoreCandidates(z, items, DIM, N, exclude, 20, 10);
      const approx = full.query(z, 20, exclude, 10);
      expect([...approx.index]).toEqual([...exact.index]);
      expect([...approx.score]).toEqual([...exact.score]);
    }
  });

  test('never returns an excluded item, and still finds k items when 99.9% are excluded', () => {
    const z = queries.subarray(0, DIM);
    const exclude = randomExclusion(7, 0.999);
    const allowed = [...Array(N).keys()].filter((m) => !hasBit(exclude, m)).length;
    const got = index.query(z, 20, exclude);
    expect(got.index.length).toBe(Math.min(20, allowed));
    for (const m of got.index) expect(hasBit(exclude, m)).toBe(false);
    const exact = scoreCandidates(z, items, DIM, N, exclude, 20);
    expect(recallAt(exact.index, got.index)).toBe(1);
  });

  test('a tiny catalog (fewer items than lists) still works', () => {
    const small = new IvfIndex(items, 10, DIM, { branching: 4 });
    const got = small.query(queries.subarray(0, DIM), 20);
    expect([...got.index].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });
});
