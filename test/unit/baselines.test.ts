import { describe, expect, test } from 'vitest';
import { ease, easeMatrix } from '../../pipeline/eval/baselines/ease.ts';
import { itemKnn, itemKnnMatrix } from '../../pipeline/eval/baselines/item-knn.ts';
import { gramMatrix } from '../../pipeline/eval/baselines/item-matrix.ts';
import { mostPop } from '../../pipeline/eval/baselines/most-pop.ts';
import { evaluate } from '../../pipeline/eval/harness.ts';
import { type Split, u1Split } from '../../pipeline/eval/protocols.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import { movieLensDir } from '../support/movielens.ts';

/** A graph from a dense 0/1 user × movie matrix. */
function graphOf(x: number[][]): RatingGraph {
  const us: number[] = [];
  const ms: number[] = [];
  x.forEach((row, u) => {
    row.forEach((v, m) => {
      if (v) {
        us.push(u);
        ms.push(m);
      }
    });
  });
  const n = us.length;
  const csr = buildCsr(
    x.length,
    x[0].length,
    Int32Array.from(us),
    Int32Array.from(ms),
    new Float32Array(n).fill(4),
    new Uint32Array(n),
  );
  return {
    numUsers: x.length,
    numMovies: x[0].length,
    ...csr,
    userFeatureDim: 0,
    movieFeatureDim: 0,
    userFeatures: new Float32Array(0),
    movieFeatures: new Float32Array(0),
    userIds: Int32Array.from(x, (_, i) => i + 1),
    movieIds: Int32Array.from(x[0], (_, i) => i + 1),
  };
}

const X = [
  [1, 1, 0, 0, 1],
  [0, 1, 1, 0, 0],
  [1, 0, 1, 1, 0],
  [1, 1, 1, 0, 0],
  [0, 0, 1, 1, 1],
  [1, 0, 0, 0, 1],
];

/** Solves the small dense system A·x = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

// Only the fields the baselines read.
const splitOf = (graph: RatingGraph) => ({ split: { graph } as Split, seed: 1, log: () => {} });

describe('EASE', () => {
  test('B equals the closed form column by column: ridge regression of X_j on the other columns', () => {
    const lambda = 0.7;
    const g = graphOf(X);
    const n = 5;
    const b = easeMatrix(g, lambda);
    for (let j = 0; j < n; j++) {
      const others = [0, 1, 2, 3, 4].filter((i) => i !== j);
      // (X_{-j}ᵀX_{-j} + λI) w = X_{-j}ᵀ X_j
      const a = others.map((p) => others.map((q) => X.reduce((s, r) => s + r[p] * r[q], 0) + (p === q ? lambda : 0)));
      const rhs = others.map((p) => X.reduce((s, r) => s + r[p] * r[j], 0));
      const w = solve(a, rhs);
      expect(b[j * n + j]).toBe(0);
      others.forEach((i, k) => {
        expect(b[i * n + j]).toBeCloseTo(w[k], 6);
      });
    }
  });

  test('a user scores x·B, the same for a graph user and a visitor with the same movies', async () => {
    const g = graphOf(X);
    const rec = await ease({ lambda: 0.7 }).fit(splitOf(g));
    const b = easeMatrix(g, 0.7);
    const user = new Float32Array(5);
    rec.scoreUser(3, user); // rated 0, 1, 2
    for (let j = 0; j < 5; j++) expect(user[j]).toBeCloseTo(b[0 * 5 + j] + b[1 * 5 + j] + b[2 * 5 + j], 6);
    const visitor = new Float32Array(5);
    rec.scoreNewUser(Int32Array.of(0, 1, 2), Float32Array.of(5, 1, 3), visitor);
    expect([...visitor]).toEqual([...user]);
  });
});

describe('ItemKNN and MostPop', () => {
  test('the Gram matrix counts co-raters', () => {
    const gm = gramMatrix(graphOf(X));
    expect(gm[0 * 5 + 0]).toBe(4); // movie 0 rated by users 0, 2, 3, 5
    expect(gm[0 * 5 + 1]).toBe(2); // users 0, 3
    expect(gm[2 * 5 + 3]).toBe(2); // users 2, 4
  });

  test('cosine similarity by hand; neighbours keep the most similar', () => {
    const s = itemKnnMatrix(graphOf(X));
    expect(s[0]).toBe(0);
    expect(s[0 * 5 + 1]).toBeCloseTo(2 / Math.sqrt(4 * 3), 6);
    expect(s[2 * 5 + 3]).toBeCloseTo(2 / Math.sqrt(4 * 2), 6);
    const pruned = itemKnnMatrix(graphOf(X), 1);
    // Movie 3's only neighbour is movie 2 (2/√8 ≈ 0.71 beats 1/√6 for movies 0 and 4).
    expect([...pruned.subarray(15, 20)].map((v) => (v > 0 ? 1 : 0))).toEqual([0, 0, 1, 0, 0]);
  });

  test('a visitor scores the sum of the similarity rows of the revealed movies', async () => {
    const g = graphOf(X);
    const rec = await itemKnn().fit(splitOf(g));
    const s = itemKnnMatrix(g);
    const out = new Float32Array(5);
    rec.scoreNewUser(Int32Array.of(1, 3), Float32Array.of(4, 4), out);
    for (let j = 0; j < 5; j++) expect(out[j]).toBeCloseTo(s[5 + j] + s[15 + j], 6);
  });

  test('MostPop scores the training popularity', async () => {
    const rec = await mostPop().fit(splitOf(graphOf(X)));
    const out = new Float32Array(5);
    rec.scoreUser(0, out);
    expect([...out]).toEqual([4, 3, 4, 2, 3]);
  });
});

const dir = movieLensDir();
describe('baselines on the real u1 split (DESIGN §4 reference values)', () => {
  test('MostPop ≈ 0.178, ItemKNN ≈ 0.296, EASE (λ = 400, the value tuned on u1 validation) ≈ 0.355', async () => {
    const split = await u1Split(dir);
    const pop = await evaluate(split, mostPop(), 1);
    const knn = await evaluate(split, itemKnn(), 1);
    const e = await evaluate(split, ease({ lambda: 400 }), 1);
    expect(pop.users).toBe(456);
    expect(Math.abs(pop.recall20 - 0.178)).toBeLessThan(0.01);
    expect(Math.abs(knn.recall20 - 0.296)).toBeLessThan(0.01);
    expect(Math.abs(e.recall20 - 0.355)).toBeLessThan(0.01);
    // The ordering the reference reports holds on every metric here.
    for (const k of ['recall20', 'ndcg20', 'hr10'] as const) {
      expect(pop[k]).toBeLessThan(knn[k]);
      expect(knn[k]).toBeLessThan(e[k]);
    }
  });
});
