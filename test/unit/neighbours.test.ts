/**
 * The ranking's neighbourhood term (src/core/recommend/neighbours.ts): it equals the signed mean of ItemKNN's
 * cosine rows over the ratings (the baseline's own dense matrix, an independent implementation), weighs
 * likes, dislikes and the stars between as documented (half stars too), is deterministic, and is off above
 * the edge cap;
 * `recommend()` ranks by model score + term exactly (brute force over every movie) while the predicted stars
 * read the model's own score; a dislike pushes its co-rated movies down where a like pulls them up; and the
 * serving snapshot carries the rater lists exactly, rejecting corrupted ones.
 */
import { describe, expect, test } from 'vitest';
import { buildServingSnapshot, carriesRaters } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { itemKnnMatrix } from '../../pipeline/eval/baselines/item-knn.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { forward } from '../../src/core/model/forward.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { predictRating, userRatingContext } from '../../src/core/model/predict.ts';
import {
  addNeighbourTerm,
  NEIGHBOUR_MAX_EDGES,
  neighbourRatingWeight,
  neighbourScores,
  raterListsOf,
} from '../../src/core/recommend/neighbours.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { createRanker, recommend } from '../../src/core/recommend/recommend.ts';
import { encodeContainer } from '../../src/core/snapshot/container.ts';
import { SERVING_FORMAT_VERSION } from '../../src/core/snapshot/format.ts';
import { encodeGaps } from '../../src/core/snapshot/gaps.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { readServingPersonal, readServingSnapshot, servingPersonalEnd } from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const built = buildGraph(syntheticDataset({ users: 60, movies: 50, ratings: 700, seed: 3 }));
const snapshot = readSnapshot(writeSnapshot({ ...built, build: { tool: 'test' } }));
const g = snapshot.graph;
const lists = raterListsOf(g);
if (!lists) throw new Error('the test graph is below the edge cap');
const dims = { userFeatureDim: g.userFeatureDim, movieFeatureDim: g.movieFeatureDim, numMovies: g.numMovies };
const base = randomParams(rng(9), dims, { hiddenDim: 6, outDim: 5, movieIdEmbeddingDim: 3 });
const params = { ...base, calibration: { ...base.calibration, neighbourWeight: 0.7 } };
const movieEmb = forward(g, params).movieEmb;
const dim = embeddingDim(params.config);

/** A few rated movies with stars across the scale (half stars included). */
const rated = [
  { movie: 0, stars: 5 },
  { movie: 3, stars: 1 },
  { movie: 7, stars: 3 },
  { movie: 12, stars: 4.5 },
  { movie: 20, stars: 2 },
];

describe('the neighbourhood term', () => {
  test('equals weight × mean of w(stars) × ItemKNN cosine rows for every unrated movie', () => {
    const knn = itemKnnMatrix(g);
    const term = neighbourScores(lists, rated, 0.7);
    const isRated = new Set(rated.map((r) => r.movie));
    let nonzero = 0;
    for (let j = 0; j < g.numMovies; j++) {
      if (isRated.has(j)) continue;
      let want = 0;
      for (const r of rated) want += neighbourRatingWeight(r.stars) * knn[r.movie * g.numMovies + j];
      expect(term[j]).toBeCloseTo((0.7 * want) / rated.length, 5);
      if (term[j] !== 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(g.numMovies / 2);
  });

  test('likes +1, dislikes −0.5, the stars between +0.5 (half stars on both sides of each bound)', () => {
    expect([5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 0.5].map(neighbourRatingWeight)).toEqual([
      1, 1, 1, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5,
    ]);
  });

  test('same ratings in the same order give the same bits; zero weight or no ratings give zeros', () => {
    expect(neighbourScores(lists, rated, 0.7)).toEqual(neighbourScores(lists, rated, 0.7));
    expect([...neighbourScores(lists, rated, 0)].every((v) => v === 0)).toBe(true);
    expect([...neighbourScores(lists, [], 0.7)].every((v) => v === 0)).toBe(true);
    const scores = new Float32Array(g.numMovies).fill(1);
    addNeighbourTerm(
      lists,
      rated.map((r) => r.movie),
      rated.map((r) => r.stars),
      0.7,
      scores,
    );
    const term = neighbourScores(lists, rated, 0.7);
    for (let j = 0; j < g.numMovies; j++) expect(scores[j]).toBe(Math.fround(1 + term[j]));
  });

  test('is off above NEIGHBOUR_MAX_EDGES ratings', () => {
    expect(raterListsOf({ ...g, numEdges: NEIGHBOUR_MAX_EDGES + 1 })).toBeNull();
    expect(carriesRaters({ ...g, numEdges: NEIGHBOUR_MAX_EDGES + 1 }, params)).toBe(false);
    expect(carriesRaters(g, params)).toBe(true);
    expect(carriesRaters(g, base)).toBe(false);
  });
});

describe('recommend() with the term', () => {
  const catalog = new Catalog(snapshot);
  // Small, so that the term (≤ 0.7 per rating) and the model both matter in the order.
  const z = Float32Array.from({ length: dim }, (_, i) => 0.02 * Math.sin(i + 1));
  const exclude = () => {
    const bits = createBitset(g.numMovies);
    for (const r of rated) setBit(bits, r.movie);
    return bits;
  };
  const ranker = createRanker(params, movieEmb, g.numMovies, dim, lists);
  const scale = 1 / params.config.temperature;
  const modelScore = (m: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += z[j] * movieEmb[m * dim + j];
    return Math.fround(s * scale);
  };

  test('ranks by model score + term exactly, and predicts stars from the model score alone', () => {
    const picks = recommend(catalog, ranker, { z, movieEmb, rated, exclude: exclude(), filter: {}, n: 10 });
    const term = neighbourScores(lists, rated, 0.7);
    const isRated = new Set(rated.map((r) => r.movie));
    const brute = Array.from({ length: g.numMovies }, (_, m) => m)
      .filter((m) => !isRated.has(m))
      .map((m) => ({ m, s: Math.fround(modelScore(m) + term[m]) }))
      .sort((a, b) => b.s - a.s || a.m - b.m)
      .slice(0, 10);
    expect(picks.map((p) => p.movie)).toEqual(brute.map((b) => b.m));
    expect(picks.map((p) => p.score)).toEqual(brute.map((b) => b.s));
    const ctx = userRatingContext(
      params,
      z,
      rated.map((r) => r.stars),
    );
    for (const p of picks) expect(p.predicted).toBe(predictRating(params, ctx, movieEmb, p.movie, modelScore(p.movie)));
    // Without rater lists (or with weight 0) the list is the model's alone.
    const plain = recommend(catalog, createRanker(params, movieEmb, g.numMovies, dim, null), {
      z,
      movieEmb,
      rated,
      exclude: exclude(),
      filter: {},
      n: 10,
    });
    expect(plain.map((p) => p.score)).toEqual(plain.map((p) => modelScore(p.movie)));
    expect(createRanker(base, movieEmb, g.numMovies, dim, lists).neighbourWeight).toBe(0);
  });

  test('a 1-star rating pushes its co-rated movies down where a 5-star one pulls them up', () => {
    const target = 0;
    const knn = itemKnnMatrix(g);
    // The movie most co-rated with the target.
    let near = -1;
    for (let j = 0; j < g.numMovies; j++) {
      if (j !== target && (near < 0 || knn[target * g.numMovies + j] > knn[target * g.numMovies + near])) near = j;
    }
    const rankOf = (stars: number) => {
      const bits = createBitset(g.numMovies);
      setBit(bits, target);
      const all = recommend(catalog, ranker, {
        z,
        movieEmb,
        rated: [{ movie: target, stars }],
        exclude: bits,
        filter: {},
        n: g.numMovies,
      });
      return all.findIndex((p) => p.movie === near);
    };
    const ranks = [5, 3, 1].map(rankOf);
    expect(ranks[0]).toBeLessThanOrEqual(ranks[1]);
    expect(ranks[1]).toBeLessThanOrEqual(ranks[2]);
    expect(ranks[0] + 5).toBeLessThan(ranks[2]);
  });
});

describe('the serving snapshot carries the rater lists', () => {
  const bytes = buildServingSnapshot({
    snapshot,
    params,
    movieEmb,
    modelSha256: 'ab'.padEnd(64, '0'),
    embeddingDtype: 'f32',
  });

  test('exactly the graph movie CSR, so the browser term equals the pipeline one', () => {
    const s = readServingSnapshot(bytes);
    expect(s.raters?.users).toEqual(g.movieAdjUser);
    expect(s.raters?.moviePtr).toEqual(g.moviePtr);
    expect(neighbourScores(s.raters as NonNullable<typeof s.raters>, rated, 0.7)).toEqual(
      neighbourScores(lists, rated, 0.7),
    );
    // They are in the personal prefix: the first personal list ranks with the term too.
    const partial = new Uint8Array(bytes.length);
    partial.set(bytes.subarray(0, servingPersonalEnd(s.sections)));
    expect(readServingPersonal(partial).raters?.users).toEqual(g.movieAdjUser);
    // A model without the term ships no rater lists.
    const none = buildServingSnapshot({
      snapshot,
      params: base,
      movieEmb,
      modelSha256: 'ab'.padEnd(64, '0'),
      embeddingDtype: 'f32',
    });
    expect(readServingSnapshot(none).raters).toBeNull();
  });

  test('corrupted rater lists are an ArtifactFormatError naming the problem', () => {
    const s = readServingSnapshot(bytes);
    const raters = s.sections.find((x) => x.name === 'visitor.raters');
    if (!raters) throw new Error('the test model ships rater lists');
    const gaps = bytes.subarray(raters.offset, raters.offset + raters.byteLength);
    // The file with its rater lists replaced (the container re-encoded around them).
    const withRaters = (data: Uint8Array) =>
      encodeContainer(
        SERVING_FORMAT_VERSION,
        s.sections.map((x) => ({
          ...x,
          data: x.name === 'visitor.raters' ? data : bytes.subarray(x.offset, x.offset + x.byteLength),
        })),
        'test',
      );
    // The last movie's last rater pushed to the user count, a valid encoding of an invalid index.
    const outOfRange = g.movieAdjUser.slice();
    outOfRange[outOfRange.length - 1] = g.numUsers;
    const cases: [Uint8Array, RegExp][] = [
      [encodeGaps(g.moviePtr, outOfRange, true), /visitor\.raters has 60 in movie \d+'s list, not below 60/],
      [gaps.subarray(0, gaps.length - 1), /visitor\.raters ends inside movie \d+'s list/],
      [Uint8Array.from([...gaps, 0]), /visitor\.raters has 1 bytes after the last value/],
      [Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, ...gaps]), /longer than 5 bytes/],
    ];
    expect(readServingSnapshot(withRaters(gaps)).raters?.users).toEqual(g.movieAdjUser);
    for (const [data, message] of cases) {
      let caught: unknown;
      try {
        readServingSnapshot(withRaters(data), 'serving.bin');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ArtifactFormatError);
      expect((caught as Error).message).toMatch(message);
    }
  });
});
