import { describe, expect, test } from 'vitest';
import { parseEvalArgs } from '../../pipeline/eval/commands.ts';
import { scoreFitted } from '../../pipeline/eval/harness.ts';
import { graphSage } from '../../pipeline/eval/model.ts';
import type { Split } from '../../pipeline/eval/protocols.ts';
import { transductiveSplit, visitorSplitOf } from '../../pipeline/eval/protocols.ts';
import type { Recommender } from '../../pipeline/eval/recommender.ts';
import { resultsMarkdown } from '../../pipeline/eval/run-eval.ts';
import { createParamBuffer, identityCalibration, initParams } from '../../pipeline/train/param-buffer.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelConfig } from '../../src/core/model/params.ts';
import { tinyDataset } from './eval-fixtures.ts';

describe('the harness', () => {
  test('averages Recall@20, NDCG@20 and HR@10 over users, with excluded movies masked', () => {
    const n = 30;
    // Scores rank movie 0 first, then 1, 2, … (score = −index).
    const rec: Recommender = {
      scoreUser: (_u, out) => {
        for (let i = 0; i < out.length; i++) out[i] = -i;
      },
      scoreNewUser: () => {},
    };
    const user = (exclude: number[], positives: number[]) => ({
      userId: 1,
      userIndex: 0,
      revealedMovies: new Int32Array(0),
      revealedRatings: new Float32Array(0),
      exclude: Int32Array.from(exclude),
      positives: Int32Array.from(positives),
    });
    const split = {
      kind: 'transductive',
      graph: { numMovies: n },
      // A: 0 excluded, so the list is 1..20; positives 1 (rank 0) and 25 (missed).
      // B: nothing excluded; positive 12 at rank 12 (in the top 20, not the top 10).
      users: [user([0], [1, 25]), user([], [12])],
    } as unknown as Split;
    const s = scoreFitted(split, rec);
    expect(s.users).toBe(2);
    expect(s.recall20).toBeCloseTo((1 / 2 + 1) / 2, 12);
    const ndcgA = 1 / (1 + 1 / Math.log2(3));
    const ndcgB = 1 / Math.log2(14);
    expect(s.ndcg20).toBeCloseTo((ndcgA + ndcgB) / 2, 12);
    expect(s.hr10).toBe(0.5);
  });
});

/** `g` with one more user (feature row `row`) who rated `movies`. */
function appendUser(g: RatingGraph, row: Float32Array, movies: Int32Array): RatingGraph {
  const us: number[] = [];
  const ms: number[] = [];
  for (let u = 0; u < g.numUsers; u++) {
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      us.push(u);
      ms.push(g.edgeMovie[e]);
    }
  }
  for (const m of movies) {
    us.push(g.numUsers);
    ms.push(m);
  }
  const k = us.length;
  const csr = buildCsr(
    g.numUsers + 1,
    g.numMovies,
    Int32Array.from(us),
    Int32Array.from(ms),
    new Float32Array(k),
    new Uint32Array(k),
  );
  const userFeatures = new Float32Array((g.numUsers + 1) * g.userFeatureDim);
  for (let u = 0; u <= g.numUsers; u++) userFeatures.set(row, u * g.userFeatureDim);
  return { ...g, ...csr, numUsers: g.numUsers + 1, userFeatures };
}

describe('the GraphSAGE method', () => {
  const config: ModelConfig = {
    hiddenDim: 6,
    outDim: 6,
    movieIdEmbeddingDim: 3,
    skip: 'concat',
    normalize: true,
    temperature: 0.2,
  };
  const randomModel = (graph: RatingGraph) => {
    const buf = createParamBuffer(
      {
        config,
        userFeatureDim: graph.userFeatureDim,
        movieFeatureDim: graph.movieFeatureDim,
        numMovies: graph.numMovies,
      },
      (k) => new Float32Array(k),
    );
    initParams(buf, new Rng(5));
    return { params: { ...buf.params, calibration: identityCalibration(graph.numMovies) }, usesDemographics: false };
  };

  test('a visitor is scored as the full forward over the graph with the visitor appended (no demographics)', async () => {
    const ds = tinyDataset();
    const split = visitorSplitOf('t', ds, ds.ratings, { heldOutUserIds: [3, 8], revealed: 3 });
    const rec = await graphSage((g) => randomModel(g)).fit({ split, seed: 1, log: () => {} });
    const { params } = randomModel(split.graph);
    const unknown = userFeatureRow(split.built.spec, null);
    for (const user of split.users) {
      const out = new Float32Array(split.graph.numMovies);
      rec.scoreNewUser(user.revealedMovies, user.revealedRatings, out);
      const full = forward(appendUser(split.graph, unknown, user.revealedMovies), params);
      const d = full.dim;
      const z = full.userEmb.subarray(split.graph.numUsers * d);
      const rated = new Set(user.revealedMovies);
      for (let m = 0; m < split.graph.numMovies; m++) {
        if (rated.has(m)) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += z[j] * full.movieEmb[m * d + j];
        expect(out[m]).toBeCloseTo(s / config.temperature, 4);
      }
    }
  });

  test('a graph user is scored from the full forward, users on the unknown row', async () => {
    const ds = tinyDataset();
    const split = transductiveSplit('t', ds, ds.ratings, ds.ratings);
    const rec = await graphSage((g) => randomModel(g)).fit({ split, seed: 1, log: () => {} });
    const row = userFeatureRow(split.built.spec, null);
    const g = split.graph;
    const userFeatures = new Float32Array(g.numUsers * g.userFeatureDim);
    for (let u = 0; u < g.numUsers; u++) userFeatures.set(row, u * g.userFeatureDim);
    const full = forward({ ...g, userFeatures }, randomModel(g).params);
    const out = new Float32Array(g.numMovies);
    rec.scoreUser(4, out);
    const d = full.dim;
    for (let m = 0; m < g.numMovies; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += full.userEmb[4 * d + j] * full.movieEmb[m * d + j];
      expect(out[m]).toBeCloseTo(s / config.temperature, 4);
    }
  });
});

describe('the eval CLI', () => {
  test('parses its options and rejects unknown ones', () => {
    const o = parseEvalArgs(['--protocol', 'visitor', '--skip-model', '--seed', '7', '--export-embeddings', 'emb']);
    expect(o.protocols).toEqual(['visitor']);
    expect(o.skipModel).toBe(true);
    expect(o.seed).toBe(7);
    expect(o.exportEmbeddings).toBe('emb');
    expect(parseEvalArgs([]).protocols).toEqual(['u1', 'visitor']);
    expect(() => parseEvalArgs(['--protocol', 'u2'])).toThrow(/u1, visitor or both/);
    expect(() => parseEvalArgs(['--seed', 'x'])).toThrow(/--seed/);
    expect(() => parseEvalArgs(['--frobnicate'])).toThrow(/unknown option/);
    expect(() => parseEvalArgs(['--seed'])).toThrow(/needs a value/);
  });

  test('the markdown table has one row per method and the protocol columns', () => {
    const score = { recall20: 0.25, ndcg20: 0.5, hr10: 0.75, users: 456, fitSeconds: 1, scoreSeconds: 0.5, info: {} };
    const md = resultsMarkdown({
      dataDir: '../shared/datasets/ml-100k',
      seed: 42,
      protocols: { u1: { users: 456, trainUsers: 943, trainEdges: 80000 } },
      methods: [{ name: 'MostPop', results: { u1: score } }],
    });
    expect(md).toContain('| method | u1 Recall@20 | u1 NDCG@20 | u1 HR@10 | u1 users | u1 time (s) |');
    expect(md).toContain('| MostPop | 0.2500 | 0.5000 | 0.7500 | 456 | 1.5 |');
  });
});
