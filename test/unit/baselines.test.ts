import { describe, expect, test } from 'vitest';
import { biasRecommender, fitBiases, userItemBias } from '../../pipeline/eval/baselines/bias.ts';
import { ease, easeMatrix } from '../../pipeline/eval/baselines/ease.ts';
import { itemKnn, itemKnnMatrix } from '../../pipeline/eval/baselines/item-knn.ts';
import { centredItemKnn, centredKnnMatrix } from '../../pipeline/eval/baselines/item-knn-centred.ts';
import { gramMatrix } from '../../pipeline/eval/baselines/item-matrix.ts';
import { mostPop } from '../../pipeline/eval/baselines/most-pop.ts';
import { evaluate } from '../../pipeline/eval/harness.ts';
import { type Split, u1Split, visitorSplit } from '../../pipeline/eval/protocols.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import { movieLensDir } from '../support/movielens.ts';

/** A graph from a dense user × movie matrix of stars (0: not rated). */
function graphOf(x: number[][]): RatingGraph {
  const us: number[] = [];
  const ms: number[] = [];
  const rs: number[] = [];
  x.forEach((row, u) => {
    row.forEach((v, m) => {
      if (v) {
        us.push(u);
        ms.push(m);
        rs.push(v);
      }
    });
  });
  const n = us.length;
  const csr = buildCsr(
    x.length,
    x[0].length,
    Int32Array.from(us),
    Int32Array.from(ms),
    Float32Array.from(rs),
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

// Movies A..E = 0..4. A and C are liked or disliked together, so are B and D, and every movie is rated by
// three users with each of the others' co-rating counts equal, so binary ItemKNN cannot tell C from D.
const STARS = [
  [5, 1, 5, 1, 0],
  [1, 5, 1, 5, 0],
  [4, 0, 5, 0, 3],
  [0, 4, 0, 5, 3],
  [5, 1, 0, 0, 3],
];

describe('ItemKNN (centred)', () => {
  test('adjusted cosine by hand', () => {
    // User means 3, 3, 4, 4, 3: centred A = (2, −2, 0, ·, 2), C = (2, −2, 1, ·, ·).
    const s = centredKnnMatrix(graphOf(STARS), 0);
    expect(s[0 * 5 + 2]).toBeCloseTo(8 / (Math.sqrt(12) * Math.sqrt(9)), 6);
    expect(s[2 * 5 + 0]).toBeCloseTo(s[0 * 5 + 2], 6);
    expect(s[0]).toBe(0);
    // With shrink 5 the denominator grows by 5.
    expect(centredKnnMatrix(graphOf(STARS), 5)[2]).toBeCloseTo(8 / (Math.sqrt(108) + 5), 6);
  });

  test('a movie like a 5-star one ranks above a movie like a 1-star one (binary ItemKNN ties them)', async () => {
    const g = graphOf(STARS);
    const rec = await centredItemKnn({ shrink: 1 }).fit(splitOf(g));
    const visitor = new Float32Array(5);
    rec.scoreNewUser(Int32Array.of(0, 1), Float32Array.of(5, 1), visitor); // A 5 stars, B 1 star
    expect(visitor[2]).toBeGreaterThan(0);
    expect(visitor[3]).toBeLessThan(0);
    const user = new Float32Array(5);
    rec.scoreUser(4, user); // the same ratings plus E 3: centred A +2, B −2, E 0
    expect(user[2]).toBeGreaterThan(user[3]);
    // Reversing the stars reverses the order.
    rec.scoreNewUser(Int32Array.of(0, 1), Float32Array.of(1, 5), visitor);
    expect(visitor[3]).toBeGreaterThan(visitor[2]);
    const binary = new Float32Array(5);
    (await itemKnn().fit(splitOf(g))).scoreNewUser(Int32Array.of(0, 1), Float32Array.of(5, 1), binary);
    expect(binary[2]).toBeCloseTo(binary[3], 6);
  });
});

/** Minimiser of Σ(r − μ − b_u − b_m)² + λu·Σb_u² + λi·Σb_m² from its normal equations. */
function exactBiases(x: number[][], lu: number, li: number): { mean: number; bu: number[]; bm: number[] } {
  const rated = x.flatMap((row, u) => row.flatMap((r, m) => (r ? [[u, m, r]] : [])));
  const mean = rated.reduce((s, [, , r]) => s + r, 0) / rated.length;
  const nu = x.length;
  const n = nu + x[0].length;
  const a = Array.from({ length: n }, () => new Array(n).fill(0));
  const b = new Array(n).fill(0);
  for (let i = 0; i < n; i++) a[i][i] = i < nu ? lu : li;
  for (const [u, m, r] of rated) {
    const j = nu + m;
    a[u][u] += 1;
    a[j][j] += 1;
    a[u][j] += 1;
    a[j][u] += 1;
    b[u] += r - mean;
    b[j] += r - mean;
  }
  const w = solve(a, b);
  return { mean, bu: w.slice(0, nu), bm: w.slice(nu) };
}

describe('Bias (user + item)', () => {
  test('the alternating fit reaches the regularised least-squares solution', () => {
    const exact = exactBiases(STARS, 2, 3);
    const fit = fitBiases(graphOf(STARS), 2, 3);
    expect(fit.mean).toBeCloseTo(exact.mean, 12);
    exact.bu.forEach((v, u) => {
      expect(fit.userBias[u]).toBeCloseTo(v, 4);
    });
    exact.bm.forEach((v, m) => {
      expect(fit.movieBias[m]).toBeCloseTo(v, 4);
    });
    expect(Math.max(...exact.bm.map(Math.abs))).toBeGreaterThan(0.1);
  });

  test('predicts μ + b_u + b_m (a visitor’s b_u from the revealed ratings), clamped; ranks by b_m', () => {
    const model = fitBiases(graphOf(STARS), 2, 3);
    const rec = biasRecommender(model);
    const out = new Float32Array(2);
    rec.predictUser?.(2, Int32Array.of(0, 3), out);
    expect(out[0]).toBeCloseTo(model.mean + model.userBias[2] + model.movieBias[0], 5);
    expect(out[1]).toBeCloseTo(model.mean + model.userBias[2] + model.movieBias[3], 5);
    // A visitor who rated C 5 and D 5: b_u = (5 − μ − b_C + 5 − μ − b_D) / (λu + 2).
    const bu = (10 - 2 * model.mean - model.movieBias[2] - model.movieBias[3]) / (2 + 2);
    rec.predictNewUser?.(Int32Array.of(2, 3), Float32Array.of(5, 5), Int32Array.of(4), out);
    expect(out[0]).toBeCloseTo(model.mean + bu + model.movieBias[4], 5);
    // Clamped to the training range [1, 5].
    const extreme = biasRecommender({ ...model, userBias: Float64Array.of(9, -9, 0, 0, 0) });
    extreme.predictUser?.(0, Int32Array.of(0, 1), out);
    expect([...out]).toEqual([5, 5]);
    extreme.predictUser?.(1, Int32Array.of(0, 1), out);
    expect([...out]).toEqual([1, 1]);
    const scores = new Float32Array(5);
    rec.scoreUser(0, scores);
    expect([...scores]).toEqual([...Float32Array.from(model.movieBias)]);
  });
});

const dir = movieLensDir();
describe('baselines on the real u1 split (the reference values of README § Quality)', () => {
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

describe('rating-aware baselines on the real splits', () => {
  test('u1: the bias model predicts u1.test at RMSE ≈ 0.953 (λ tuned on validation); centred ItemKNN ranks fewer dislikes', async () => {
    const split = await u1Split(dir);
    const bias = await evaluate(split, userItemBias(), 1);
    expect(bias.ratings).toBe(20000);
    expect(bias.rmse).toBeGreaterThan(0.94);
    expect(bias.rmse).toBeLessThan(0.965);
    expect(bias.mae).toBeLessThan(bias.rmse as number);
    const knn = await evaluate(split, itemKnn(), 1);
    const centred = await evaluate(split, centredItemKnn(), 1);
    expect(knn.rmse).toBeNull();
    expect(centred.dislikeUsers).toBe(393);
    expect(centred.dislike20).toBeLessThan((knn.dislike20 as number) / 3);
    expect(centred.recall20).toBeGreaterThan(0.1);
  });

  test('visitor: the bias model predicts a visitor’s hidden ratings from the 10 revealed ones', async () => {
    const split = await visitorSplit(dir, 42);
    const bias = await evaluate(split, userItemBias(), 1);
    expect(bias.ratings).toBe(15799);
    expect(bias.rmse).toBeGreaterThan(0.95);
    expect(bias.rmse).toBeLessThan(1.0);
  });
});
