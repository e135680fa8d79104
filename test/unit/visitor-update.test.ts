/**
 * The exact visitor update (src/core/model/visitor.ts) against a full forward over the materialised updated graph: a new
 * user is appended, rates movies one by one, changes (5 → 1 too) and removes some; after every step the
 * visitor's z equals the full forward's bit for bit, so does the top-20 over unrated movies, and every
 * movie the visitor has not rated keeps its base embedding bit for bit. On small random graphs (every
 * model variant, with and without rating-aware messages) and on ML-100K.
 */
import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { loadMovieLens } from '../../pipeline/data/movielens.ts';
import { createParamBuffer, initParams } from '../../pipeline/train/param-buffer.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelConfig, ModelParams } from '../../src/core/model/params.ts';
import { buildVisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { createBitset, scoreAll, setBit, topN } from '../../src/core/recommend/rank.ts';
import { appendUser } from '../helpers/append-user.ts';
import { movieLensDir } from '../support/movielens.ts';
import { syntheticGraph } from './synthetic-graph.ts';

function randomParams(g: RatingGraph, config: ModelConfig, seed: number): ModelParams {
  const shape = {
    config,
    userFeatureDim: g.userFeatureDim,
    movieFeatureDim: g.movieFeatureDim,
    numMovies: g.numMovies,
  };
  const buf = createParamBuffer(shape, (n) => new Float32Array(n));
  const rng = new Rng(seed);
  initParams(buf, rng);
  for (const layer of [buf.params.layer1, buf.params.layer2]) {
    for (const conv of [layer.user, layer.movie])
      for (let i = 0; i < conv.bias.length; i++) conv.bias[i] = 0.1 * rng.normal();
  }
  for (let i = 0; i < buf.params.movieScoreBias.length; i++) buf.params.movieScoreBias[i] = 0.2 * rng.normal();
  return buf.params;
}

/** Runs a scripted session of adds, changes and removes, checking the update after every step. */
function checkSession(g: RatingGraph, p: ModelParams, row: Float32Array, seed: number, steps: number, k = 20): number {
  const rng = new Rng(seed);
  const base = forward(g, p);
  const cache = buildVisitorCache(g, p);
  expect(cache.movieEmb).toEqual(base.movieEmb);
  const visitor = new Map<number, number>();
  const d = cache.dim;
  const scale = 1 / p.config.temperature;
  let checked = 0;
  for (let step = 0; step < steps; step++) {
    const r = rng.float();
    const rated = [...visitor.keys()];
    if (rated.length > 2 && r < 0.15) visitor.delete(rated[rng.int(rated.length)]);
    else if (rated.length > 0 && r < 0.3) {
      // A change, flipping a like into a dislike (or back) half the time.
      const m = rated[rng.int(rated.length)];
      visitor.set(m, rng.float() < 0.5 ? 6 - (visitor.get(m) as number) : 1 + rng.int(5));
    } else visitor.set(rng.int(g.numMovies), 1 + rng.int(5));

    const movies = [...visitor.keys()];
    const z = visitorEmbedding(cache, p, row, movies, [...visitor.values()]);
    const full = forward(appendUser(g, row, visitor), p);
    const zFull = full.userEmb.subarray(g.numUsers * d, (g.numUsers + 1) * d);
    expect(Array.from(z)).toEqual(Array.from(zFull));

    const ratedSet = new Set(movies);
    for (let m = 0; m < g.numMovies; m++) {
      if (ratedSet.has(m)) continue;
      for (let j = 0; j < d; j++) {
        if (full.movieEmb[m * d + j] !== base.movieEmb[m * d + j]) throw new Error(`unrated movie ${m} changed`);
      }
    }
    const exclude = createBitset(g.numMovies);
    for (const m of movies) setBit(exclude, m);
    const fast = topN(scoreAll(z, cache.movieEmb, d, new Float32Array(g.numMovies), scale), k, exclude);
    const slow = topN(scoreAll(zFull, full.movieEmb, d, new Float32Array(g.numMovies), scale), k, exclude);
    expect(Array.from(fast)).toEqual(Array.from(slow));
    checked++;
  }
  return checked;
}

const configs: ModelConfig[] = [
  { hiddenDim: 6, outDim: 5, movieIdEmbeddingDim: 3, skip: 'none', normalize: false, temperature: 1 },
  { hiddenDim: 6, outDim: 6, movieIdEmbeddingDim: 0, skip: 'sum', normalize: true, temperature: 0.1 },
  { hiddenDim: 5, outDim: 6, movieIdEmbeddingDim: 4, skip: 'concat', normalize: true, temperature: 0.2 },
  {
    hiddenDim: 5,
    outDim: 4,
    movieIdEmbeddingDim: 3,
    skip: 'concat',
    normalize: true,
    temperature: 0.1,
    movieScoreBias: true,
  },
  {
    hiddenDim: 5,
    outDim: 4,
    movieIdEmbeddingDim: 3,
    skip: 'concat',
    normalize: true,
    temperature: 0.1,
    ratingMessages: { center: 3, scale: 2 },
  },
  {
    hiddenDim: 4,
    outDim: 4,
    movieIdEmbeddingDim: 0,
    skip: 'sum',
    normalize: false,
    temperature: 1,
    ratingMessages: { center: 2.75, scale: 2.25 },
  },
];

describe('exact visitor update', () => {
  test('equals the full forward on random small graphs, every variant', () => {
    for (let s = 0; s < 3; s++) {
      const g = syntheticGraph(100 + s, 12, 40, 120);
      for (const [i, config] of configs.entries()) {
        const p = randomParams(g, config, 10 * s + i);
        const row = g.userFeatures.slice(0, g.userFeatureDim).map((v) => v + 0.5);
        expect(checkSession(g, p, row, s * 7 + i, 30, 10)).toBe(30);
      }
    }
  });

  test('a visitor with no ratings equals an isolated appended user', () => {
    const g = syntheticGraph(5, 6, 10, 20);
    const p = randomParams(g, configs[2], 1);
    const row = new Float32Array(g.userFeatureDim).fill(1);
    const z = visitorEmbedding(buildVisitorCache(g, p), p, row, [], []);
    const full = forward(appendUser(g, row, new Map()), p);
    expect(Array.from(z)).toEqual(Array.from(full.userEmb.subarray(g.numUsers * z.length)));
  });

  test('with rating-aware messages the stars move the visitor: 5 → 1 changes z, and back restores it', () => {
    const g = syntheticGraph(8, 10, 30, 90);
    const p = randomParams(g, configs[4], 3);
    const cache = buildVisitorCache(g, p);
    const row = new Float32Array(g.userFeatureDim);
    const loved = visitorEmbedding(cache, p, row, [2, 5, 7], [5, 4, 5]);
    const hated = visitorEmbedding(cache, p, row, [2, 5, 7], [1, 4, 5]);
    expect(Array.from(hated)).not.toEqual(Array.from(loved));
    expect(Array.from(visitorEmbedding(cache, p, row, [7, 2, 5], [5, 5, 4]))).toEqual(Array.from(loved));
    // Without rating-aware messages the stars are not read at all.
    const plain = randomParams(g, configs[2], 3);
    const plainCache = buildVisitorCache(g, plain);
    expect(Array.from(visitorEmbedding(plainCache, plain, row, [2, 5, 7], [1, 4, 5]))).toEqual(
      Array.from(visitorEmbedding(plainCache, plain, row, [2, 5, 7], [5, 4, 5])),
    );
  });

  test('equals the full forward on ML-100K', async () => {
    const dir = movieLensDir();
    const built = buildGraph(await loadMovieLens(dir, 'ml-100k'));
    const g = built.graph;
    const p = randomParams(
      g,
      {
        hiddenDim: 32,
        outDim: 32,
        movieIdEmbeddingDim: 16,
        skip: 'concat',
        normalize: true,
        temperature: 0.15,
        ratingMessages: { center: 3, scale: 2 },
      },
      9,
    );
    expect(checkSession(g, p, userFeatureRow(built.spec, null), 3, 12)).toBe(12);
  });
});
