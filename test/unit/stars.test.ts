/**
 * Predicted stars (src/core/recommend/stars.ts): off, they are the rating head's exactly; on, they equal the
 * documented head + γ·n/(n+g)·Σ J^p·residual / (Σ J^p + λ) against Jaccard overlaps counted here from the
 * user-major edges with sets (an independent implementation), move towards what the user's ratings of a
 * movie's neighbours say, stay in the star range, and are what `recommend()` shows.
 */
import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { forward } from '../../src/core/model/forward.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { predictRating, userRatingContext } from '../../src/core/model/predict.ts';
import { raterListsOf } from '../../src/core/recommend/neighbours.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { createRanker, recommend } from '../../src/core/recommend/recommend.ts';
import { coRatings, starPredictor } from '../../src/core/recommend/stars.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const built = buildGraph(syntheticDataset({ users: 60, movies: 50, ratings: 700, seed: 5 }));
const g = readSnapshot(writeSnapshot({ ...built, build: { tool: 'test' } })).graph;
const lists = raterListsOf(g);
if (!lists) throw new Error('the test graph is below the edge cap');
const dims = { userFeatureDim: g.userFeatureDim, movieFeatureDim: g.movieFeatureDim, numMovies: g.numMovies };
const base = randomParams(rng(4), dims, { hiddenDim: 6, outDim: 5, movieIdEmbeddingDim: 3 });
const on = { residualWeight: 1.5, residualShrink: 0.05, residualGate: 3, residualPower: 2 };
const params = { ...base, calibration: { ...base.calibration, ...on } };
const movieEmb = forward(g, params).movieEmb;
const dim = embeddingDim(params.config);
const z = Float32Array.from({ length: dim }, (_, i) => 0.05 * Math.cos(i + 2));
const rated = [
  { movie: 1, stars: 5 },
  { movie: 4, stars: 1 },
  { movie: 9, stars: 3.5 },
  { movie: 15, stars: 4 },
];
const isRated = new Set(rated.map((r) => r.movie));

/** Each movie's raters as a set, from the user-major edges (not the rater lists the code reads). */
const ratersOf: Set<number>[] = Array.from({ length: g.numMovies }, () => new Set<number>());
for (let u = 0; u < g.numUsers; u++)
  for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) ratersOf[g.edgeMovie[e]].add(u);
function jaccard(i: number, j: number): number {
  let both = 0;
  for (const u of ratersOf[i]) if (ratersOf[j].has(u)) both++;
  const either = ratersOf[i].size + ratersOf[j].size - both;
  return either > 0 ? both / either : 0;
}
/** The movie most like `i` by Jaccard overlap. */
function nearest(i: number): number {
  let best = -1;
  for (let j = 0; j < g.numMovies; j++) if (j !== i && (best < 0 || jaccard(i, j) > jaccard(i, best))) best = j;
  return best;
}

/** The head alone, as predict.ts gives it. */
function head(m: number): number {
  const ctx = userRatingContext(
    params,
    z,
    rated.map((r) => r.stars),
  );
  let s = 0;
  for (let j = 0; j < dim; j++) s += z[j] * movieEmb[m * dim + j];
  return predictRating(params, ctx, movieEmb, m, s / params.config.temperature);
}

describe('predicted stars', () => {
  test('without a weight, or without rater lists, or with nothing rated: the head exactly', () => {
    const off = starPredictor(base, z, movieEmb, rated, lists);
    const noLists = starPredictor(params, z, movieEmb, rated, null);
    for (let m = 0; m < g.numMovies; m++) {
      expect(off(m)).toBe(head(m));
      expect(noLists(m)).toBe(head(m));
    }
    const nobody = userRatingContext(params, null, []);
    expect(starPredictor(params, null, movieEmb, [], lists)(7)).toBe(predictRating(params, nobody, movieEmb, 7, 0));
  });

  test('co-rating counts equal |U_i ∩ U_j| for every pair', () => {
    const movies = [0, 3, 7, 12, 30];
    const shared = coRatings(lists, movies);
    for (let j = 0; j < g.numMovies; j++) {
      const row = Array.from(shared(j));
      expect(row).toEqual(movies.map((i) => [...ratersOf[i]].filter((u) => ratersOf[j].has(u)).length));
    }
  });

  test('equal head + γ·n/(n+g)·Σ J^p·residual / (Σ J^p + λ) with Jaccard overlaps, clamped to the star range', () => {
    const stars = starPredictor(params, z, movieEmb, rated, lists);
    const gate = rated.length / (rated.length + on.residualGate);
    let moved = 0;
    for (let j = 0; j < g.numMovies; j++) {
      if (isRated.has(j)) continue;
      let num = 0;
      let den = on.residualShrink;
      for (const r of rated) {
        const c = jaccard(r.movie, j) ** on.residualPower;
        num += c * (r.stars - head(r.movie));
        den += c;
      }
      const want = Math.min(5, Math.max(1, head(j) + (on.residualWeight * gate * num) / den));
      expect(stars(j)).toBeCloseTo(want, 5);
      expect(stars(j)).toBeGreaterThanOrEqual(1);
      expect(stars(j)).toBeLessThanOrEqual(5);
      if (Math.abs(stars(j) - head(j)) > 1e-3) moved++;
    }
    expect(moved).toBeGreaterThan(g.numMovies / 2);
  });

  test('rating a movie above what the head predicts raises its co-rated movies, below lowers them', () => {
    const target = 1;
    const near = nearest(target);
    expect(jaccard(target, near)).toBeGreaterThan(0);
    const one = (s: number) => starPredictor(params, z, movieEmb, [{ movie: target, stars: s }], lists)(near);
    const plain = starPredictor(base, z, movieEmb, [{ movie: target, stars: 3 }], lists);
    // The head's own prediction for the target, so that 5 and 1 are residuals of opposite sign.
    const h = plain(target);
    expect(h).toBeGreaterThan(1);
    expect(h).toBeLessThan(5);
    expect(one(5) - starPredictor(base, z, movieEmb, [{ movie: target, stars: 5 }], lists)(near)).toBeGreaterThan(0);
    expect(one(1) - starPredictor(base, z, movieEmb, [{ movie: target, stars: 1 }], lists)(near)).toBeLessThan(0);
  });

  test('the gate scales the correction by n/(n + g): near nothing for a first rating, most of it for many', () => {
    const ungated = { ...params, calibration: { ...params.calibration, residualGate: 0 } };
    const loose = { ...params, calibration: { ...params.calibration, residualShrink: 1e6 } };
    const correction = (p: typeof params, r: typeof rated) => (m: number) =>
      starPredictor(p, z, movieEmb, r, lists)(m) - starPredictor(base, z, movieEmb, r, lists)(m);
    // Away from the clamp (a huge shrink keeps corrections tiny), gated / ungated = n / (n + g).
    const looseUngated = { ...loose, calibration: { ...loose.calibration, residualGate: 0 } };
    for (const r of [rated.slice(0, 1), rated]) {
      const n = r.length;
      for (let m = 20; m < 30; m++) {
        const full = correction(looseUngated, r)(m);
        if (Math.abs(full) < 1e-9) continue;
        expect(correction(loose, r)(m) / full).toBeCloseTo(n / (n + on.residualGate), 3);
      }
    }
    expect(correction(ungated, rated)(25)).not.toBe(0);
  });

  test('recommend() shows exactly these stars', () => {
    const catalog = new Catalog(readSnapshot(writeSnapshot({ ...built, build: { tool: 'test' } })));
    const exclude = createBitset(g.numMovies);
    for (const r of rated) setBit(exclude, r.movie);
    const picks = recommend(catalog, createRanker(params, movieEmb, g.numMovies, dim, lists), {
      z,
      movieEmb,
      rated,
      exclude,
      filter: {},
      n: 10,
    });
    const stars = starPredictor(params, z, movieEmb, rated, lists);
    expect(picks.length).toBe(10);
    for (const p of picks) expect(p.predicted).toBeCloseTo(stars(p.movie), 5);
    expect(picks.some((p) => Math.abs(p.predicted - head(p.movie)) > 1e-3)).toBe(true);
  });
});
