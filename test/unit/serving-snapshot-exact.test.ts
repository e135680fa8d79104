/**
 * Exactness of the visitor path on a serving snapshot alone: v1 snapshot → forward → serving snapshot
 * (float32 embeddings) → `visitorCacheFromServing` → `visitorEmbedding` gives, bit for bit, the visitor's
 * row of a full forward over the graph with the visitor appended (adds, a change 5 → 1, removes), and the
 * top-20 scored against the serving snapshot's embeddings is the full forward's. With float16 embeddings
 * the visitor's z is still exact (it never reads them); only scoring changes, and the test measures how
 * much of the top-20 survives.
 */
import { describe, expect, test } from 'vitest';
import { buildServingSnapshot, servingArtifact } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { exportFullGraphModel } from '../../pipeline/onnx/export-model.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { forward } from '../../src/core/model/forward.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelConfig } from '../../src/core/model/params.ts';
import { buildVisitorCache, visitorCacheFromServing, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { createBitset, scoreAll, setBit, topN } from '../../src/core/recommend/rank.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import {
  decodeIdEmbedding,
  readServingPersonal,
  readServingSnapshot,
  servingRowLayout,
} from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { appendUser } from '../helpers/append-user.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const MODEL_SHA = 'ab'.repeat(32);

/** A v1 snapshot of a synthetic data set, read back, and the serving snapshot built from it with `config`. */
function setup(shape: { users: number; movies: number; ratings: number; seed: number }, config: Partial<ModelConfig>) {
  const built = buildGraph(syntheticDataset(shape));
  const v1 = readSnapshot(writeSnapshot({ ...built, build: { tool: 'test' } }));
  const g = v1.graph;
  const p = randomParams(
    rng(shape.seed),
    { userFeatureDim: g.userFeatureDim, movieFeatureDim: g.movieFeatureDim, numMovies: g.numMovies },
    config,
  );
  const base = forward(g, p);
  const serving = (embeddingDtype: 'f32' | 'f16') =>
    readServingSnapshot(
      buildServingSnapshot({
        snapshot: v1,
        params: p,
        movieEmb: base.movieEmb,
        modelSha256: MODEL_SHA,
        embeddingDtype,
      }),
    );
  return { built, v1, g, p, base, serving };
}

type Step = ['add' | 'change', number, number] | ['remove', number];

/** Runs the steps; after each, the serving path's z and top-k must equal the full forward's bit for bit. */
function checkSession(s: ReturnType<typeof setup>, row: Float32Array, steps: Step[], k = 20): number {
  const { g, p } = s;
  const cache = visitorCacheFromServing(s.serving('f32'));
  const d = cache.dim;
  const visitor = new Map<number, number>();
  let checked = 0;
  for (const step of steps) {
    if (step[0] === 'remove') visitor.delete(step[1]);
    else visitor.set(step[1], step[2]);
    const movies = [...visitor.keys()];
    const z = visitorEmbedding(cache, p, row, movies, [...visitor.values()]);
    const full = forward(appendUser(g, row, visitor), p);
    const zFull = full.userEmb.subarray(g.numUsers * d, (g.numUsers + 1) * d);
    expect(Array.from(z)).toEqual(Array.from(zFull));
    const exclude = createBitset(g.numMovies);
    for (const m of movies) setBit(exclude, m);
    const scale = 1 / p.config.temperature;
    const fast = topN(scoreAll(z, cache.movieEmb, d, new Float32Array(g.numMovies), scale), k, exclude);
    const slow = topN(scoreAll(zFull, full.movieEmb, d, new Float32Array(g.numMovies), scale), k, exclude);
    expect(Array.from(fast)).toEqual(Array.from(slow));
    checked++;
  }
  return checked;
}

/** A scripted session: `adds` random ratings, a 5 → 1 change, a removal, more adds, another change. */
function script(seed: number, numMovies: number, adds: number, half: boolean): Step[] {
  const r = rng(seed);
  const stars = () => (half ? 0.5 + Math.floor(r() * 10) / 2 : 1 + Math.floor(r() * 5));
  const pick = () => Math.floor(r() * numMovies);
  const steps: Step[] = [];
  const first = pick();
  steps.push(['add', first, 5]);
  for (let i = 1; i < adds; i++) steps.push(['add', pick(), stars()]);
  steps.push(['change', first, 1]);
  const gone = steps[1][1];
  steps.push(['remove', gone]);
  for (let i = 0; i < 3; i++) steps.push(['add', pick(), stars()]);
  steps.push(['change', first, 5]);
  steps.push(['remove', first]);
  return steps;
}

const ML100K_SHAPE = { users: 943, movies: 1682, ratings: 100_000, seed: 17 };
/** The shipped model's shape (pipeline/train DEFAULT_TRAIN_OPTIONS) with half-star rating messages. */
const SHIPPED: Partial<ModelConfig> = {
  hiddenDim: 32,
  outDim: 32,
  movieIdEmbeddingDim: 32,
  skip: 'concat',
  normalize: true,
  temperature: 0.1,
  ratingMessages: { center: 2.75, scale: 2.25 },
};

describe('the visitor path on a serving snapshot equals a full forward over the graph', () => {
  test('every model variant, small graphs', () => {
    const variants: Partial<ModelConfig>[] = [
      { hiddenDim: 6, outDim: 5, movieIdEmbeddingDim: 3, skip: 'none', normalize: false, temperature: 1 },
      { hiddenDim: 6, outDim: 6, movieIdEmbeddingDim: 0, skip: 'sum', normalize: true, temperature: 0.1 },
      { hiddenDim: 5, outDim: 4, movieIdEmbeddingDim: 3, skip: 'concat', movieScoreBias: true },
      { hiddenDim: 5, outDim: 4, movieIdEmbeddingDim: 3, ratingMessages: { center: 2.75, scale: 2.25 } },
      {
        hiddenDim: 4,
        outDim: 4,
        movieIdEmbeddingDim: 0,
        skip: 'sum',
        normalize: false,
        temperature: 1,
        movieScoreBias: true,
        ratingMessages: { center: 3, scale: 2 },
      },
    ];
    for (const [i, config] of variants.entries()) {
      const s = setup({ users: 25, movies: 40, ratings: 200, seed: 30 + i }, config);
      expect(visitorCacheFromServing(s.serving('f32'))).toEqual(buildVisitorCache(s.g, s.p, s.base.movieEmb));
      const row = userFeatureRow(s.built.spec, { age: 30, gender: 'F', occupation: 'artist' });
      const steps = script(i, s.g.numMovies, 6, true);
      expect(checkSession(s, row, steps, 10)).toBe(steps.length);
    }
  });

  test('ML-100K-shaped graph, the shipped model shape: adds, a change 5 → 1, removes, top-20', () => {
    const s = setup(ML100K_SHAPE, SHIPPED);
    expect(s.g.numEdges).toBeGreaterThan(90_000);
    const rows = [
      userFeatureRow(s.built.spec, null),
      userFeatureRow(s.built.spec, { age: 52, gender: 'M', occupation: 'engineer' }),
    ];
    let checked = 0;
    for (const [i, row] of rows.entries()) checked += checkSession(s, row, script(100 + i, s.g.numMovies, 5, true));
    expect(checked).toBe(2 * (5 + 7));
  });
});

describe('float16 embeddings', () => {
  test('the visitor z is still exact; the top-20 against f16 overlaps the f32 top-20 by ≥ 0.95 on average (measured 0.999: 49 of 50 top-20 sets identical, the other 19 of 20; random weights)', () => {
    const s = setup(ML100K_SHAPE, SHIPPED);
    const c32 = visitorCacheFromServing(s.serving('f32'));
    const c16 = visitorCacheFromServing(s.serving('f16'));
    const n = s.g.numMovies;
    const d = c32.dim;
    const scale = 1 / s.p.config.temperature;
    const r = rng(2024);
    const overlaps: number[] = [];
    let identical = 0;
    for (let v = 0; v < 50; v++) {
      const count = 1 + Math.floor(r() * 40);
      const rated = new Map<number, number>();
      while (rated.size < count) rated.set(Math.floor(r() * n), 0.5 + Math.floor(r() * 10) / 2);
      const row = userFeatureRow(
        s.built.spec,
        r() < 0.5 ? null : { age: 18 + Math.floor(r() * 50), gender: null, occupation: null },
      );
      const movies = [...rated.keys()];
      const z32 = visitorEmbedding(c32, s.p, row, movies, [...rated.values()]);
      const z16 = visitorEmbedding(c16, s.p, row, movies, [...rated.values()]);
      expect(Array.from(z16)).toEqual(Array.from(z32));
      const exclude = createBitset(n);
      for (const m of movies) setBit(exclude, m);
      const top32 = topN(scoreAll(z32, c32.movieEmb, d, new Float32Array(n), scale), 20, exclude);
      const top16 = new Set(topN(scoreAll(z32, c16.movieEmb, d, new Float32Array(n), scale), 20, exclude));
      const shared = [...top32].filter((m) => top16.has(m)).length;
      overlaps.push(shared / 20);
      if (shared === 20) identical++;
    }
    const mean = overlaps.reduce((a, b) => a + b, 0) / overlaps.length;
    console.log(
      `f16 embeddings, top-20 overlap with f32 over 50 visitors: mean ${mean.toFixed(4)}, min ${Math.min(...overlaps)}, identical sets ${identical}/50`,
    );
    expect(mean).toBeGreaterThanOrEqual(0.95);
  });
});

describe('an int8 model file: the serving snapshot stores its id embeddings in one byte each', () => {
  test('they read back as readModelParams dequantises them, bit for bit, whole and row by row', () => {
    const s = setup({ users: 60, movies: 80, ratings: 900, seed: 23 }, { movieIdEmbeddingDim: 8 });
    const bytes = exportFullGraphModel(s.p, { variant: 'int8' });
    const fromModel = readModelParams(bytes);
    const { bytes: file } = servingArtifact(s.v1, { name: 'model.int8.onnx', variant: 'int8', bytes }, () => undefined);
    const serving = readServingSnapshot(file);
    expect(serving.sections.find((x) => x.name === 'model.idEmbedding')?.dtype).toBe('u8');
    expect(serving.idEmbedding).toEqual(fromModel.movieIdEmbedding);
    expect(serving.params.layer1).toEqual(fromModel.layer1);
    // A movie's row as a range request would fetch it, decoded with the personal prefix's scale.
    const personal = readServingPersonal(file);
    const layout = servingRowLayout(personal.sections, {
      movieFeatureDim: s.g.movieFeatureDim,
      idEmbeddingDim: 8,
      neighbourWidth: s.g.userFeatureDim,
    });
    expect(layout.idEmbedding.rowBytes).toBe(8);
    const m = 37;
    const row = file.subarray(layout.idEmbedding.offset + 8 * m, layout.idEmbedding.offset + 8 * (m + 1));
    expect(decodeIdEmbedding(row, personal.idEmbeddingScale as Float32Array)).toEqual(
      fromModel.movieIdEmbedding.subarray(8 * m, 8 * (m + 1)),
    );
  });
});
