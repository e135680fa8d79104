import { describe, expect, test } from 'vitest';
import { parseEvalArgs } from '../../pipeline/eval/commands.ts';
import { evaluate, hiddenRatingsOf, predictStars, scoreFitted } from '../../pipeline/eval/harness.ts';
import { graphSage } from '../../pipeline/eval/model.ts';
import type { EvalUser, Split } from '../../pipeline/eval/protocols.ts';
import { transductiveSplit, visitorSplitOf } from '../../pipeline/eval/protocols.ts';
import type { Method, Recommender } from '../../pipeline/eval/recommender.ts';
import { type EvalResults, resultsMarkdown, summarize } from '../../pipeline/eval/run-eval.ts';
import { likesOnly, shareFit } from '../../pipeline/eval/variants.ts';
import { createParamBuffer, identityCalibration, initParams } from '../../pipeline/train/param-buffer.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelConfig, ModelParams } from '../../src/core/model/params.ts';
import { ratingTable, tinyDataset } from './eval-fixtures.ts';

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
    const user = (exclude: number[], positives: number[], dislikes: number[]): EvalUser => ({
      userId: 1,
      userIndex: 0,
      revealedMovies: new Int32Array(0),
      revealedRatings: new Float32Array(0),
      exclude: Int32Array.from(exclude),
      positives: Int32Array.from(positives),
      dislikes: Int32Array.from(dislikes),
      hiddenMovies: new Int32Array(0),
      hiddenRatings: new Float32Array(0),
    });
    const split = {
      kind: 'transductive',
      graph: { numMovies: n },
      // A: 0 excluded, so the list is 1..20; positives 1 (rank 0) and 25 (missed); dislikes 3 (in the top
      // 20) and 22 (not): Dislike@20 = 1/2.
      // B: nothing excluded; positive 12 at rank 12 (in the top 20, not the top 10); dislikes 2, 5, 29, 28:
      // Dislike@20 = 2/4. C: positive 0 (rank 0), no dislike: not in Dislike@20's average.
      users: [user([0], [1, 25], [3, 22]), user([], [12], [2, 5, 29, 28]), user([], [0], [])],
      testUsers: [],
    } as unknown as Split;
    const s = scoreFitted(split, rec);
    expect(s.users).toBe(3);
    expect(s.recall20).toBeCloseTo((1 / 2 + 1 + 1) / 3, 12);
    const ndcgA = 1 / (1 + 1 / Math.log2(3));
    const ndcgB = 1 / Math.log2(14);
    expect(s.ndcg20).toBeCloseTo((ndcgA + ndcgB + 1) / 3, 12);
    expect(s.hr10).toBeCloseTo(2 / 3, 12);
    expect(s.dislikeUsers).toBe(2);
    expect(s.dislike20).toBeCloseTo((1 / 2 + 2 / 4) / 2, 12);
    // No star prediction: no RMSE.
    expect(s.rmse).toBeNull();
    expect(s.mae).toBeNull();
    expect(s.ratings).toBe(0);
  });

  test('RMSE / MAE over every test user’s hidden ratings, users without a positive included', () => {
    const ds = tinyDataset();
    const test = ratingTable([
      [1, 10, 5, 1],
      [1, 11, 1, 1],
      [2, 11, 2, 1], // user 2: no positive, not ranked, but its rating is predicted
    ]);
    const split = transductiveSplit('t', ds, ds.ratings, test);
    expect(split.users.map((u) => u.userId)).toEqual([1]);
    const calls: [number, number[]][] = [];
    const rec: Recommender = {
      scoreUser: (_u, out) => out.fill(0),
      scoreNewUser: () => {},
      // Predicts 3 + 0.1·movie index.
      predictUser(u, movies, out) {
        calls.push([u, [...movies]]);
        for (let i = 0; i < movies.length; i++) out[i] = 3 + 0.1 * movies[i];
      },
    };
    const s = scoreFitted(split, rec);
    expect(calls).toEqual([
      [0, [9, 10]],
      [1, [10]],
    ]);
    // Predictions 3.9, 4.0, 4.0 against 5, 1, 2: errors −1.1, 3, 2.
    expect(s.ratings).toBe(3);
    expect(s.rmse).toBeCloseTo(Math.sqrt((1.1 ** 2 + 9 + 4) / 3), 5);
    expect(s.mae).toBeCloseTo((1.1 + 3 + 2) / 3, 5);
    expect([...hiddenRatingsOf(split)]).toEqual([5, 1, 2]);
  });

  test('a visitor’s stars are predicted from their revealed ratings', () => {
    const ds = tinyDataset();
    const split = visitorSplitOf('t', ds, ds.ratings, { heldOutUserIds: [3, 8], revealed: 3 });
    const rec: Recommender = {
      scoreUser: () => {},
      scoreNewUser: () => {},
      // Predicts the mean of the revealed stars for every movie.
      predictNewUser(revealed, stars, _movies, out) {
        expect(revealed.length).toBe(3);
        out.fill(stars.reduce((a, b) => a + b, 0) / stars.length);
      },
    };
    const predicted = predictStars(split, rec) as Float32Array;
    const truth = hiddenRatingsOf(split);
    expect(predicted.length).toBe(truth.length);
    expect(truth.length).toBe(5 + 4); // user 3 rated 8 movies, user 8 rated 7; 3 revealed each
    const u8 = split.testUsers[1];
    expect(u8.userId).toBe(8);
    const mean8 = u8.revealedRatings.reduce((a, b) => a + b, 0) / 3;
    expect(predicted[truth.length - 1]).toBeCloseTo(mean8, 6);
    expect(predictStars({ ...split, kind: 'transductive' }, rec)).toBeNull();
  });
});

describe('likes-only and shared fits', () => {
  const ds = tinyDataset();
  const split = visitorSplitOf('t', ds, ds.ratings, { heldOutUserIds: [3, 8], revealed: 5 });

  test('the likes-only row gives the method only the revealed ratings ≥ 4 and keeps every revealed movie masked', async () => {
    const seen: number[][] = [];
    let fits = 0;
    const method: Method = {
      name: 'Probe',
      fit: () => {
        fits++;
        return {
          scoreUser: () => {},
          // Scores each revealed movie highest: only the exclusion mask keeps them out of the list.
          scoreNewUser(movies, ratings, out) {
            seen.push([...ratings]);
            out.fill(0);
            for (const m of split.users.flatMap((u) => [...u.revealedMovies])) out[m] = 10;
            for (const m of movies) out[m] = 1;
          },
          predictNewUser(_m, ratings, movies, out) {
            out.fill(ratings.length, 0, movies.length);
          },
        };
      },
    };
    const shared = shareFit(method);
    const row = likesOnly(shared);
    expect(row.name).toBe('Probe (likes only)');
    expect(row.kinds).toEqual(['inductive']);
    const full = await evaluate(split, shared, 1);
    const liked = await evaluate(split, row, 1);
    expect(fits).toBe(1); // the likes-only row reused the fit
    const revealed = split.users.map((u) => [...u.revealedRatings]);
    expect(seen).toEqual([...revealed, ...revealed.map((r) => r.filter((x) => x >= 4))]);
    expect(revealed.flat().some((x) => x < 4)).toBe(true); // something was dropped
    // Same mask, so both rows rank the same movies (the probe's scores do not depend on the stars).
    expect(liked.recall20).toBe(full.recall20);
    // Predictions saw only the likes: each visitor's prediction is their number of liked revealed ratings.
    const likedCount = split.testUsers.flatMap((u) =>
      Array.from(u.hiddenMovies, () => [...u.revealedRatings].filter((x) => x >= 4).length),
    );
    expect([...(liked.predictions as Float32Array)]).toEqual(likedCount);
    expect([...(full.predictions as Float32Array)]).toEqual(likedCount.map(() => 5));
    // Another seed is another fit.
    await evaluate(split, row, 2);
    expect(fits).toBe(2);
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

  /** The random model with a rating head whose every term is non-zero. */
  const calibratedModel = (graph: RatingGraph) => {
    const { params } = randomModel(graph);
    const rng = new Rng(9);
    const b = config.hiddenDim + config.outDim;
    const calibration: ModelParams['calibration'] = {
      globalMean: 3.5,
      intercept: 3.2,
      slope: 0.3,
      userBiasWeight: 0.8,
      userShrink: 2,
      movieBias: Float32Array.from({ length: graph.numMovies }, () => rng.float() - 0.5),
      bilinear: Float32Array.from({ length: b * b }, () => rng.float() - 0.5),
      minStars: 1,
      maxStars: 5,
    };
    return { params: { ...params, calibration }, usesDemographics: false };
  };

  /** The head's formula written out: clamp(a + s·score + w·offset + b_m + z_mᵀ·Q·z_u). */
  const expectedStars = (
    params: ModelParams,
    zu: ArrayLike<number>,
    zm: ArrayLike<number>,
    m: number,
    stars: number[],
  ) => {
    const c = params.calibration;
    const b = zu.length;
    let dot = 0;
    let bilinear = 0;
    for (let i = 0; i < b; i++) {
      dot += zu[i] * zm[i];
      for (let j = 0; j < b; j++) bilinear += zm[i] * (c.bilinear as Float32Array)[i * b + j] * zu[j];
    }
    const offset = stars.reduce((s, r) => s + r - c.globalMean, 0) / (stars.length + (c.userShrink as number));
    const raw =
      c.intercept + c.slope * (dot / config.temperature) + c.userBiasWeight * offset + c.movieBias[m] + bilinear;
    return Math.min(c.maxStars, Math.max(c.minStars, raw));
  };

  test('stars: a graph user through the rating head with their z and their own training ratings', async () => {
    const ds = tinyDataset();
    const test = ratingTable([
      [5, 1, 4, 1],
      [5, 2, 2, 1],
      [5, 3, 5, 1],
    ]);
    const split = transductiveSplit('t', ds, ds.ratings, test);
    const rec = await graphSage((g) => calibratedModel(g)).fit({ split, seed: 1, log: () => {} });
    const g = split.graph;
    const { params } = calibratedModel(g);
    const row = userFeatureRow(split.built.spec, null);
    const userFeatures = new Float32Array(g.numUsers * g.userFeatureDim);
    for (let u = 0; u < g.numUsers; u++) userFeatures.set(row, u * g.userFeatureDim);
    const full = forward({ ...g, userFeatures }, params);
    const d = full.dim;
    const u = 4; // user 5
    const own = [...g.edgeRating.subarray(g.userPtr[u], g.userPtr[u + 1])];
    expect(new Set(own).size).toBeGreaterThan(1);
    const movies = Int32Array.of(0, 1, 2);
    const out = new Float32Array(3);
    rec.predictUser?.(u, movies, out);
    const predicted = [...out];
    for (let i = 0; i < 3; i++) {
      const m = movies[i];
      const want = expectedStars(
        params,
        full.userEmb.subarray(u * d, (u + 1) * d),
        full.movieEmb.subarray(m * d),
        m,
        own,
      );
      expect(predicted[i]).toBeCloseTo(want, 4);
    }
    expect(new Set(predicted.map((x) => x.toFixed(3))).size).toBe(3);
    // Through the harness: RMSE over the three hidden ratings.
    const s = scoreFitted(split, rec);
    expect(s.ratings).toBe(3);
    const truth = [4, 2, 5];
    const sq = predicted.reduce((a, p, i) => a + (p - truth[i]) ** 2, 0);
    expect(s.rmse).toBeCloseTo(Math.sqrt(sq / 3), 4);
  });

  test('stars: a visitor through the rating head with their visitor z and revealed stars', async () => {
    const ds = tinyDataset();
    const split = visitorSplitOf('t', ds, ds.ratings, { heldOutUserIds: [3, 8], revealed: 3 });
    const rec = await graphSage((g) => calibratedModel(g)).fit({ split, seed: 1, log: () => {} });
    const { params } = calibratedModel(split.graph);
    const unknown = userFeatureRow(split.built.spec, null);
    for (const user of split.testUsers) {
      const out = new Float32Array(user.hiddenMovies.length);
      rec.predictNewUser?.(user.revealedMovies, user.revealedRatings, user.hiddenMovies, out);
      // The visitor's z is the full forward's row with the visitor appended; movies keep the base z.
      const withVisitor = forward(appendUser(split.graph, unknown, user.revealedMovies), params);
      const base = forward(appendUser(split.graph, unknown, new Int32Array(0)), params);
      const d = base.dim;
      const z = withVisitor.userEmb.subarray(split.graph.numUsers * d);
      user.hiddenMovies.forEach((m, i) => {
        const want = expectedStars(params, z, base.movieEmb.subarray(m * d), m, [...user.revealedRatings]);
        expect(out[i]).toBeCloseTo(want, 4);
      });
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
    const o = parseEvalArgs([
      '--protocol',
      'visitor',
      '--skip-model',
      '--seed',
      '7',
      '--seeds',
      '3,1,3',
      '--export-embeddings',
      'emb',
      '--export-predictions',
      'p.csv',
    ]);
    expect(o.protocols).toEqual(['visitor']);
    expect(o.skipModel).toBe(true);
    expect(o.seed).toBe(7);
    expect(o.seeds).toEqual([3, 1]);
    expect(o.exportEmbeddings).toBe('emb');
    expect(o.exportPredictions).toBe('p.csv');
    expect(parseEvalArgs([]).protocols).toEqual(['u1', 'visitor']);
    expect(parseEvalArgs([]).seeds).toEqual([42, 1, 2]);
    expect(parseEvalArgs([]).seed).toBe(42);
    expect(() => parseEvalArgs(['--protocol', 'u2'])).toThrow(/u1, visitor or both/);
    expect(() => parseEvalArgs(['--seed', 'x'])).toThrow(/--seed/);
    expect(() => parseEvalArgs(['--seeds', '1,,2'])).toThrow(/--seeds/);
    expect(() => parseEvalArgs(['--seeds', '-1'])).toThrow(/--seeds must be/);
    expect(() => parseEvalArgs(['--frobnicate'])).toThrow(/unknown option/);
    expect(() => parseEvalArgs(['--seed'])).toThrow(/needs a value/);
  });
});

describe('the results markdown', () => {
  const score = (recall20: number, rmse: number | null) => ({
    recall20,
    ndcg20: 0.5,
    hr10: 0.75,
    dislike20: 0.04,
    dislikeUsers: 300,
    rmse,
    mae: rmse === null ? null : rmse - 0.2,
    ratings: rmse === null ? 0 : 20000,
    users: 456,
    fitSeconds: 1,
    scoreSeconds: 0.5,
    info: {},
  });
  const runs = (...scores: ReturnType<typeof score>[]) => ({
    seeds: [42, 1, 2].slice(0, scores.length),
    runs: scores,
    summary: summarize(scores),
  });
  const results: EvalResults = {
    dataDir: '../shared/datasets/ml-100k',
    seed: 42,
    seeds: [42, 1, 2],
    protocols: {
      u1: { users: 456, trainUsers: 943, trainEdges: 80000, dislikeUsers: 300, hiddenRatings: 20000, testUsers: 459 },
      visitor: {
        users: 189,
        trainUsers: 754,
        trainEdges: 82311,
        dislikeUsers: 150,
        hiddenRatings: 15000,
        testUsers: 189,
        heldOutUsers: 189,
      },
    },
    methods: [
      {
        name: 'MostPop',
        deterministic: true,
        results: { u1: runs(score(0.25, null)), visitor: runs(score(0.2, null)) },
      },
      {
        name: 'GraphSAGE',
        deterministic: false,
        results: {
          u1: runs(score(0.3, 0.95), score(0.31, 0.93), score(0.32, 0.94)),
          visitor: runs(score(0.2, 1), score(0.22, 1.02), score(0.24, 1.01)),
        },
      },
      { name: 'GraphSAGE (likes only)', deterministic: false, results: { visitor: runs(score(0.21, 1.1)) } },
    ],
  };

  test('mean ± half-range over seeds, one table per protocol, – where a row has no value', () => {
    const md = resultsMarkdown(results);
    const header = '| method | Recall@20 | NDCG@20 | HR@10 | Dislike@20 ↓ | RMSE ↓ | MAE ↓ | users | time (s) |';
    expect(md.split(header).length - 1).toBe(2);
    expect(md.indexOf('## u1')).toBeLessThan(md.indexOf('## visitor'));
    expect(md).toContain('| MostPop | 0.2500 | 0.5000 | 0.7500 | 0.0400 | – | – | 456 | 1.5 |');
    // Recall 0.30/0.31/0.32: mean 0.31, half-range 0.01; RMSE 0.95/0.93/0.94: 0.94 ± 0.01.
    expect(md).toContain(
      '| GraphSAGE | 0.3100 ± 0.0100 | 0.5000 ± 0.0000 | 0.7500 ± 0.0000 | 0.0400 ± 0.0000 | 0.9400 ± 0.0100 | 0.7400 ± 0.0100 | 456 | 1.5 |',
    );
    const u1Table = md.slice(md.indexOf('## u1'), md.indexOf('## visitor'));
    expect(u1Table).toContain('| GraphSAGE (likes only) | – | – | – | – | – | – | – | – |');
    expect(md).toContain(
      '| GraphSAGE (likes only) | 0.2100 | 0.5000 | 0.7500 | 0.0400 | 1.1000 | 0.9000 | 456 | 1.5 |',
    );
    expect(md).toContain('GC-MC 0.910, IGMC 0.905, GLocal-K 0.890');
    expect(md).toContain('MostPop do not depend on the training seed and run once');
    expect(md).toContain('Dislike@20 over the 300 of them');
    expect(md).toContain('RMSE / MAE over all 20000 hidden ratings of 459 users');
  });

  test('the heading names the data set, not the split file it was loaded from', () => {
    const named = (name: string) =>
      resultsMarkdown({ ...results, dataset: { name, format: 'ml-100k', users: 943, movies: 1682, ratings: 100000 } });
    expect(named('ml-100k/u1.base').split('\n')[0]).toBe('# Evaluation results: ML-100K');
    expect(named('ml-latest-small').split('\n')[0]).toBe('# Evaluation results: ml-latest-small');
  });

  test('no u1: no anchors', () => {
    const md = resultsMarkdown({ ...results, protocols: { visitor: results.protocols.visitor } });
    expect(md).not.toContain('## u1');
    expect(md).not.toContain('GC-MC');
  });
});
