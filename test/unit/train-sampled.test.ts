/**
 * Sampled training (pipeline/train: graphs above `sampleAboveEdges` train on user-induced subgraphs): the
 * induced subgraph is exact (edges, stars, times, degrees, features, both CSR directions), the user sample is
 * seeded, and the sampled trainer learns (loss down, validation recall far above a random ranking),
 * deterministically, within its time budget, through the same full-graph forward the browser runs.
 */
import { describe, expect, test } from 'vitest';
import { type Groups, rankingLoss } from '../../pipeline/train/loss.ts';
import { paramsToJson } from '../../pipeline/train/params-io.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { inducedUserSubgraph } from '../../pipeline/train/subgraph.ts';
import { sampleUsers, type TrainOptions, trainModel } from '../../pipeline/train/train.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import { plantedGraph } from '../helpers/planted-graph.ts';

/** A hand-made graph: 4 users, 3 movies, 7 edges (user 2 has none). */
function tinyGraph(): RatingGraph {
  const us = Int32Array.of(0, 0, 1, 1, 1, 3, 3);
  const ms = Int32Array.of(0, 2, 0, 1, 2, 1, 2);
  const rs = Float32Array.of(5, 1, 4, 3.5, 2, 4.5, 0.5);
  const ts = Uint32Array.of(10, 11, 12, 13, 14, 15, 16);
  return {
    numUsers: 4,
    numMovies: 3,
    ...buildCsr(4, 3, us, ms, rs, ts),
    userFeatureDim: 2,
    movieFeatureDim: 1,
    userFeatures: Float32Array.of(0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5),
    movieFeatures: Float32Array.of(7, 8, 9),
    userIds: Int32Array.of(11, 12, 13, 14),
    movieIds: Int32Array.of(101, 102, 103),
  };
}

describe('inducedUserSubgraph', () => {
  const g = tinyGraph();

  test('keeps the chosen users with all their edges, every movie, and rebuilds the movie side', () => {
    const s = inducedUserSubgraph(g, Int32Array.of(1, 3));
    const sg = s.graph;
    expect(sg.numUsers).toBe(2);
    expect(sg.numMovies).toBe(3);
    expect(sg.numEdges).toBe(5);
    expect(Array.from(sg.userPtr)).toEqual([0, 3, 5]);
    expect(Array.from(sg.edgeMovie)).toEqual([0, 1, 2, 1, 2]);
    expect(Array.from(sg.edgeRating)).toEqual([4, 3.5, 2, 4.5, 0.5]);
    expect(Array.from(sg.edgeTime)).toEqual([12, 13, 14, 15, 16]);
    expect(Array.from(s.edges)).toEqual([2, 3, 4, 5, 6]);
    for (let k = 0; k < sg.numEdges; k++) {
      expect(sg.edgeMovie[k]).toBe(g.edgeMovie[s.edges[k]]);
      expect(sg.edgeRating[k]).toBe(g.edgeRating[s.edges[k]]);
    }
    // Movie degrees count the sampled users only: movie 0 ← user 1; movie 1 ← 1, 3; movie 2 ← 1, 3.
    expect(Array.from(sg.moviePtr)).toEqual([0, 1, 3, 5]);
    expect(Array.from(sg.movieAdjUser)).toEqual([0, 0, 1, 0, 1]);
    for (let j = 0; j < sg.numEdges; j++) {
      const e = sg.movieAdjEdge[j];
      expect(sg.userPtr[sg.movieAdjUser[j]] <= e && e < sg.userPtr[sg.movieAdjUser[j] + 1]).toBe(true);
    }
    expect(Array.from(sg.userFeatures)).toEqual([1, 1.5, 3, 3.5]);
    expect(Array.from(sg.userIds)).toEqual([12, 14]);
    expect(sg.movieFeatures).toBe(g.movieFeatures);
    expect(sg.movieIds).toBe(g.movieIds);
  });

  test('an isolated user and the whole graph', () => {
    const one = inducedUserSubgraph(g, Int32Array.of(2));
    expect(one.graph.numEdges).toBe(0);
    expect(Array.from(one.graph.moviePtr)).toEqual([0, 0, 0, 0]);
    const all = inducedUserSubgraph(g, Int32Array.of(0, 1, 2, 3)).graph;
    for (const key of [
      'userPtr',
      'edgeMovie',
      'edgeRating',
      'edgeTime',
      'moviePtr',
      'movieAdjUser',
      'movieAdjEdge',
    ] as const) {
      expect(Array.from(all[key])).toEqual(Array.from(g[key]));
    }
  });

  test('rejects users out of order or out of range', () => {
    expect(() => inducedUserSubgraph(g, Int32Array.of(3, 1))).toThrow(RangeError);
    expect(() => inducedUserSubgraph(g, Int32Array.of(4))).toThrow(RangeError);
  });
});

describe('sampleUsers', () => {
  const g = plantedGraph({ seed: 2, users: 240, movies: 120, perUser: 16, time: (i) => 1e9 + i });

  test('draws distinct users, ascending, until their edges reach the target; seeded', () => {
    const perm = Int32Array.from({ length: g.numUsers }, (_, u) => u);
    const a = sampleUsers(g, 500, perm, new Rng(3));
    const b = sampleUsers(
      g,
      500,
      Int32Array.from({ length: g.numUsers }, (_, u) => u),
      new Rng(3),
    );
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(new Set(a).size).toBe(a.length);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    const edges = (us: Int32Array) => us.reduce((s, u) => s + g.userPtr[u + 1] - g.userPtr[u], 0);
    expect(edges(a)).toBeGreaterThanOrEqual(500);
    expect(edges(a.subarray(0, a.length - 1))).toBeLessThan(500 + 16);
    expect(a.length).toBeLessThan(g.numUsers);
    const c = sampleUsers(g, 500, perm, new Rng(4));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(sampleUsers(g, 1e9, perm, new Rng(3)).length).toBe(g.numUsers);
  });
});

describe('shared negatives stored per user', () => {
  test('the loss and its gradients equal those of one row per group', () => {
    const rng = new Rng(9);
    const dim = 4;
    const userEmb = new Float32Array(3 * dim).map(() => rng.normal());
    const movieEmb = new Float32Array(10 * dim).map(() => rng.normal());
    const user = Int32Array.of(2, 0, 2, 1, 0);
    const pos = Int32Array.of(1, 2, 3, 4, 5);
    const k = 3;
    const perUser = [Int32Array.of(6, 7, 8), Int32Array.of(0, 9, 6), Int32Array.of(8, 0, 7)];
    const rowOf = [1, 2, 0];
    const negRow = Int32Array.from(user, (u) => rowOf[u]);
    const weights = [Float32Array.of(0, 0, 2), Float32Array.of(0, 1, 0), Float32Array.of(0, 0, 0)];
    const neg = new Int32Array(3 * k);
    const negLogWeight = new Float32Array(3 * k);
    for (let u = 0; u < 3; u++) {
      neg.set(perUser[u], rowOf[u] * k);
      negLogWeight.set(weights[u], rowOf[u] * k);
    }
    const compact: Groups = { user, pos, neg, negatives: k, shared: true, negRow, negLogWeight };
    const expanded: Groups = {
      user,
      pos,
      neg: new Int32Array(user.length * k),
      negatives: k,
      shared: true,
      negLogWeight: new Float32Array(user.length * k),
    };
    user.forEach((u, i) => {
      expanded.neg.set(perUser[u], i * k);
      expanded.negLogWeight?.set(weights[u], i * k);
    });
    const run = (gr: Groups) => {
      const dU = new Float32Array(userEmb.length);
      const dM = new Float32Array(movieEmb.length);
      return { loss: rankingLoss('softmax', userEmb, movieEmb, dim, 5, gr, dU, dM), dU, dM };
    };
    const a = run(compact);
    const b = run(expanded);
    expect(a.loss).toBe(b.loss);
    expect(Array.from(a.dU)).toEqual(Array.from(b.dU));
    expect(Array.from(a.dM)).toEqual(Array.from(b.dM));
  });
});

describe('trainModel, sampled', () => {
  const g = plantedGraph({ seed: 1, users: 240, movies: 120, perUser: 16, time: (i) => 1e9 + i });
  const opts: Partial<TrainOptions> = {
    epochs: 8,
    config: { hiddenDim: 16, outDim: 16, movieIdEmbeddingDim: 8, skip: 'concat', normalize: true, temperature: 0.2 },
    negatives: 16,
    batchesPerEpoch: 2,
    unknownUserRow: Float32Array.of(0, 0, 1),
    evalEvery: 1,
    patience: 100,
    seed: 5,
    sampleAboveEdges: 1000,
    sampleEdges: 1000,
    sampleValUsers: 150,
    sampleEvalShare: 1,
  };
  const a = trainModel(g, opts);

  test('trains on user samples and learns: loss down, validation recall far above a random ranking', () => {
    expect(g.numEdges).toBeGreaterThan(1000);
    expect(a.mode).toBe('sampled');
    expect(a.sampleEdges).toBeGreaterThanOrEqual(1000);
    expect(a.sampleUsers).toBeLessThan(g.numUsers / 2);
    expect(a.valUsers).toBe(150);
    const loss = a.history.map((h) => h.loss);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(loss.slice(-5))).toBeLessThan(mean(loss.slice(0, 5)) - 0.2);
    // A random ranking finds ≈ 20 / (120 − 14) of a user's held-out positives in its top 20.
    expect(a.bestValRecall).toBeGreaterThan(0.5);
    expect(a.bestValRecall).toBeGreaterThan(a.history[0].valRecall + 0.1);
  });

  test('same seed gives bit-identical weights, another seed does not', () => {
    expect(paramsToJson(trainModel(g, opts).params)).toBe(paramsToJson(a.params));
    expect(paramsToJson(trainModel(g, { ...opts, seed: 6 }).params)).not.toBe(paramsToJson(a.params));
  });

  test('a graph at or below sampleAboveEdges trains on the full graph', () => {
    const r = trainModel(g, { ...opts, epochs: 2, sampleAboveEdges: g.numEdges });
    expect(r.mode).toBe('full');
    expect(r.sampleUsers).toBe(0);
    expect(r.valUsers).toBeGreaterThan(150);
  });

  test('the time budget ends training after an evaluated epoch, with time left reported', () => {
    const seen: { epoch: number; valRecall: number; etaMs: number }[] = [];
    const r = trainModel(g, { ...opts, evalEvery: 10, timeBudgetMs: 1, onProgress: (p) => seen.push(p) });
    expect(r.stoppedOnBudget).toBe(true);
    expect(r.history.length).toBe(1);
    expect(Number.isNaN(seen[0].valRecall)).toBe(false);
    expect(seen[0].etaMs).toBe(0);
    expect(r.bestEpoch).toBe(1);
  });

  test('epochs count passes over the edges; evaluations are spaced by sampleEvalShare', () => {
    const r = trainModel(g, { ...opts, epochs: 3, sampleEvalShare: 1e-6 });
    const n = Math.ceil((3 * g.numEdges) / 1000);
    expect(r.history.length).toBe(n);
    const evaluated = r.history.filter((h) => !Number.isNaN(h.valRecall)).map((h) => h.epoch);
    // The first due epoch is evaluated, then (evaluations ~10⁶ times too dear) only the last.
    expect(evaluated).toEqual([1, n]);
  });
});
