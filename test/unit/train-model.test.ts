/**
 * The trainer end to end on small planted-taste graphs: it learns (validation recall far above chance),
 * the same seed gives bit-identical weights and another seed does not, parameters survive a save/load
 * round trip, the rating calibration beats the global mean, and negatives are never rated movies.
 */
import { describe, expect, test } from 'vitest';
import { paramsFromJson, paramsToJson } from '../../pipeline/train/params-io.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { NegativeSampler } from '../../pipeline/train/sampler.ts';
import { hasEdge } from '../../pipeline/train/subgraph.ts';
import { type TrainOptions, trainModel } from '../../pipeline/train/train.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelConfig, ModelParams } from '../../src/core/model/params.ts';
import { predictRating, userRatingContext } from '../../src/core/model/predict.ts';
import { createBitset, setBit, topN } from '../../src/core/recommend/rank.ts';
import { plantedGraph } from '../helpers/planted-graph.ts';

const small: Partial<TrainOptions> = {
  epochs: 30,
  config: { hiddenDim: 16, outDim: 16, movieIdEmbeddingDim: 8, skip: 'concat', normalize: true, temperature: 0.2 },
  negatives: 8,
  batchesPerEpoch: 2,
  userFeatureDropout: 0.5,
  unknownUserRow: Float32Array.of(0, 0, 1),
  evalEvery: 1,
  patience: 100,
  lr: 0.01,
};

describe('trainModel', () => {
  const g = plantedGraph({ seed: 1, users: 60, movies: 80, perUser: 14 });
  const a = trainModel(g, { ...small, seed: 5 });

  test('learns the planted tastes', () => {
    const first = a.history[0].valRecall;
    expect(a.bestValRecall).toBeGreaterThan(0.5);
    expect(a.bestValRecall).toBeGreaterThan(first + 0.1);
    // Top-5 of every user is mostly their own group.
    const f = forward(g, a.params);
    let own = 0;
    for (let u = 0; u < g.numUsers; u++) {
      const exclude = createBitset(g.numMovies);
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) setBit(exclude, g.edgeMovie[e]);
      const scores = new Float32Array(g.numMovies);
      for (let m = 0; m < g.numMovies; m++) {
        for (let j = 0; j < f.dim; j++) scores[m] += f.userEmb[u * f.dim + j] * f.movieEmb[m * f.dim + j];
      }
      for (const m of topN(scores, 5, exclude)) if (m % 4 === u % 4) own++;
    }
    expect(own / (5 * g.numUsers)).toBeGreaterThan(0.8);
  });

  test('same seed gives bit-identical weights, another seed does not', () => {
    const b = trainModel(g, { ...small, seed: 5 });
    const c = trainModel(g, { ...small, seed: 6 });
    expect(paramsToJson(b.params)).toBe(paramsToJson(a.params));
    expect(paramsToJson(c.params)).not.toBe(paramsToJson(a.params));
  });

  test('reports progress every epoch and stops early without improvement', () => {
    const seen: number[] = [];
    const r = trainModel(g, { ...small, seed: 5, epochs: 200, patience: 2, onProgress: (p) => seen.push(p.epoch) });
    expect(seen).toEqual(r.history.map((h) => h.epoch));
    expect(r.history.length).toBeLessThan(200);
    expect(r.history.length - r.bestEpoch).toBe(2);
  });

  test('visitor-like users (earliest edges, hidden targets, unknown row) and the movie score bias still learn, deterministically', () => {
    const opts: Partial<TrainOptions> = {
      ...small,
      seed: 5,
      sparseUserFraction: 0.8,
      sparseUserEarliest: 0.5,
      sparseUserTargets: 'hidden',
      sparseUserUnknownFeatures: 1,
      config: { ...(small.config as ModelConfig), movieScoreBias: true },
    };
    const r = trainModel(g, opts);
    expect(r.params.movieScoreBias.length).toBe(g.numMovies);
    expect(r.params.movieScoreBias.some((v) => v !== 0)).toBe(true);
    expect(r.bestValRecall).toBeGreaterThan(r.history[0].valRecall + 0.1);
    expect(paramsToJson(trainModel(g, opts).params)).toBe(paramsToJson(r.params));
    const back = paramsFromJson(paramsToJson(r.params));
    expect(Array.from(back.movieScoreBias)).toEqual(Array.from(r.params.movieScoreBias));
  });

  test('parameters survive a save/load round trip', () => {
    const back: ModelParams = paramsFromJson(paramsToJson(a.params, { note: 'x' }));
    expect(back.config).toEqual(a.params.config);
    expect(Array.from(forward(g, back).userEmb)).toEqual(Array.from(forward(g, a.params).userEmb));
    expect(Array.from(back.calibration.movieBias)).toEqual(Array.from(a.params.calibration.movieBias));
    expect(back.calibration.slope).toBe(a.params.calibration.slope);
    expect(() => paramsFromJson('{"format":"other"}')).toThrow(/not a cinesage-model-params/);
  });

  test('calibrated ratings beat the global mean on the graph', () => {
    const f = forward(g, a.params);
    const c = a.params.calibration;
    let errModel = 0;
    let errMean = 0;
    for (let u = 0; u < g.numUsers; u++) {
      const own = g.edgeRating.subarray(g.userPtr[u], g.userPtr[u + 1]);
      const ctx = userRatingContext(a.params, f.userEmb.subarray(u * f.dim, (u + 1) * f.dim), own);
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
        const m = g.edgeMovie[e];
        const stars = predictRating(a.params, ctx, f.movieEmb, m);
        expect(stars).toBeGreaterThanOrEqual(c.minStars);
        expect(stars).toBeLessThanOrEqual(c.maxStars);
        errModel += (stars - g.edgeRating[e]) ** 2;
        errMean += (c.globalMean - g.edgeRating[e]) ** 2;
      }
    }
    expect(errModel).toBeLessThan(0.7 * errMean);
  });
});

test('negative sampler never returns a rated movie and favours popular ones with alpha > 0', () => {
  const g = plantedGraph({ seed: 2, users: 60, movies: 80, perUser: 14 });
  const sampler = new NegativeSampler(g, 1);
  const rng = new Rng(1);
  const counts = new Int32Array(g.numMovies);
  for (let i = 0; i < 20000; i++) {
    const u = i % g.numUsers;
    const m = sampler.negativeFor(u, rng);
    expect(hasEdge(g, u, m)).toBe(false);
    counts[m]++;
  }
  const deg = (m: number) => g.moviePtr[m + 1] - g.moviePtr[m];
  const byDeg = Array.from({ length: g.numMovies }, (_, m) => m).sort((x, y) => deg(x) - deg(y));
  const low = byDeg.slice(0, 20).reduce((s, m) => s + counts[m], 0);
  const high = byDeg.slice(-20).reduce((s, m) => s + counts[m], 0);
  expect(high).toBeGreaterThan(1.5 * low);
});

test('topN matches a full sort with exclusions and ties', () => {
  const rng = new Rng(3);
  const scores = Float32Array.from({ length: 500 }, () => Math.round(rng.normal() * 4) / 4);
  const exclude = createBitset(500);
  for (let i = 0; i < 100; i++) setBit(exclude, rng.int(500));
  const ref = Array.from({ length: 500 }, (_, i) => i)
    .filter((i) => !(exclude[i >> 3] & (1 << (i & 7))))
    .sort((x, y) => scores[y] - scores[x] || x - y)
    .slice(0, 25);
  expect(Array.from(topN(scores, 25, exclude))).toEqual(ref);
  expect(topN(scores, 0).length).toBe(0);
});
