/**
 * Finite-difference check of the hand-written backward pass, the ranking losses and the rating head: for
 * every parameter tensor and every model variant (rating-aware messages, hard-negative log weights and the
 * jointly trained head included), the analytic gradient of loss(forward(θ)) matches central differences
 * (float64 parameters).
 */
import { describe, expect, test } from 'vitest';
import { backward } from '../../pipeline/train/backward.ts';
import { type Groups, type LossKind, rankingLoss } from '../../pipeline/train/loss.ts';
import { createParamBuffer, initParams } from '../../pipeline/train/param-buffer.ts';
import { type RatingPairs, ratingHeadLoss, userOffsets } from '../../pipeline/train/rating-head.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import { forward } from '../../src/core/model/forward.ts';
import { baseEmbeddingDim, type ModelConfig } from '../../src/core/model/params.ts';
import { syntheticGraph } from './synthetic-graph.ts';

const graph = syntheticGraph(7, 7, 9, 24);

function lossAndGrad(config: ModelConfig, kind: LossKind, head = false) {
  const shape = {
    config,
    userFeatureDim: graph.userFeatureDim,
    movieFeatureDim: graph.movieFeatureDim,
    numMovies: graph.numMovies,
    ratingHead: head,
  };
  const buf = createParamBuffer(shape, (n) => new Float64Array(n));
  const rng = new Rng(3);
  initParams(buf, rng);
  // Larger than default id embeddings and biases so no coordinate sits at a ReLU kink or a zero.
  for (let i = 0; i < buf.flat.length; i++) buf.flat[i] += 0.3 * rng.normal();
  const groups: Groups = {
    user: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 2]),
    pos: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 8]),
    neg: Int32Array.from({ length: 8 * 3 }, () => rng.int(graph.numMovies)),
    negatives: 3,
    // Hard negatives (a user's dislikes) weigh more in the softmax denominator.
    negLogWeight:
      kind === 'softmax' ? Float32Array.from({ length: 8 * 3 }, (_, i) => (i % 3 === 2 ? 1.5 : 0)) : undefined,
  };
  const pairs: RatingPairs = {
    user: Int32Array.from([0, 1, 2, 2, 4, 6]),
    movie: Int32Array.from([1, 3, 0, 5, 8, 2]),
    stars: Float32Array.from([5, 1, 3, 4, 2, 5]),
  };
  const offsets = userOffsets(graph, 3.5, 2);
  const scale = 1 / config.temperature;
  const b = baseEmbeddingDim(config);
  const grad = createParamBuffer(shape, (n) => new Float64Array(n));
  const run = (into: typeof grad): number => {
    const f = forward(graph, buf.params);
    const du = new Float64Array(f.userEmb.length);
    const dm = new Float64Array(f.movieEmb.length);
    let l = rankingLoss(kind, f.userEmb, f.movieEmb, f.dim, scale, groups, du, dm);
    if (buf.head && into.head) {
      l += ratingHeadLoss(buf.head, f.userEmb, f.movieEmb, f.dim, b, offsets, pairs, 0.7, into.head, du, dm);
    }
    backward(graph, buf.params, f, du, dm, into.params);
    return l;
  };
  const scratch = createParamBuffer(shape, (n) => new Float64Array(n));
  const loss = (): number => run(scratch);
  run(grad);
  return { buf, grad, loss };
}

const variants: [string, ModelConfig, LossKind][] = [
  [
    'full softmax',
    { hiddenDim: 3, outDim: 3, movieIdEmbeddingDim: 2, skip: 'sum', normalize: true, temperature: 0.3 },
    'full-softmax',
  ],
  [
    'plain, BPR',
    { hiddenDim: 4, outDim: 3, movieIdEmbeddingDim: 2, skip: 'none', normalize: false, temperature: 1 },
    'bpr',
  ],
  [
    'sum skip, normalised, softmax',
    { hiddenDim: 4, outDim: 4, movieIdEmbeddingDim: 3, skip: 'sum', normalize: true, temperature: 0.5 },
    'softmax',
  ],
  [
    'concat skip, normalised, BPR',
    { hiddenDim: 3, outDim: 4, movieIdEmbeddingDim: 2, skip: 'concat', normalize: true, temperature: 0.2 },
    'bpr',
  ],
  [
    'concat skip, normalised, softmax, movie score bias',
    {
      hiddenDim: 3,
      outDim: 3,
      movieIdEmbeddingDim: 2,
      skip: 'concat',
      normalize: true,
      temperature: 0.2,
      movieScoreBias: true,
    },
    'softmax',
  ],
  [
    'no id embedding, softmax',
    { hiddenDim: 4, outDim: 3, movieIdEmbeddingDim: 0, skip: 'concat', normalize: false, temperature: 1 },
    'softmax',
  ],
  [
    'rating-aware messages, concat skip, normalised, softmax, rating head',
    {
      hiddenDim: 3,
      outDim: 3,
      movieIdEmbeddingDim: 2,
      skip: 'concat',
      normalize: true,
      temperature: 0.2,
      ratingMessages: { center: 3, scale: 2 },
    },
    'softmax',
  ],
  [
    'rating-aware messages (half-star centre), sum skip, BPR, rating head',
    {
      hiddenDim: 4,
      outDim: 4,
      movieIdEmbeddingDim: 0,
      skip: 'sum',
      normalize: false,
      temperature: 1,
      ratingMessages: { center: 2.75, scale: 2.25 },
    },
    'bpr',
  ],
];

describe('gradient check', () => {
  for (const [name, config, kind] of variants) {
    test(name, () => {
      const head = config.ratingMessages !== undefined;
      const { buf, grad, loss } = lossAndGrad(config, kind, head);
      const eps = 1e-6;
      let checked = 0;
      for (const t of buf.tensors) {
        if (t.size === 0) continue;
        let worst = 0;
        let anyNonZero = false;
        for (let i = t.offset; i < t.offset + t.size; i++) {
          const keep = buf.flat[i];
          buf.flat[i] = keep + eps;
          const up = loss();
          buf.flat[i] = keep - eps;
          const down = loss();
          buf.flat[i] = keep;
          const numeric = (up - down) / (2 * eps);
          const analytic = grad.flat[i];
          if (analytic !== 0) anyNonZero = true;
          worst = Math.max(
            worst,
            Math.abs(numeric - analytic) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic)),
          );
        }
        expect(worst, `${t.name}: worst relative error`).toBeLessThan(1e-5);
        expect(anyNonZero, `${t.name}: gradient is not all zero`).toBe(true);
        checked++;
      }
      expect(checked).toBe(
        12 + (config.movieIdEmbeddingDim > 0 ? 1 : 0) + (config.movieScoreBias ? 1 : 0) + (head ? 3 : 0),
      );
    });
  }
});

describe('shared negatives', () => {
  test("the per-user fast path of 'softmax' equals the per-group computation", () => {
    const rng = new Rng(11);
    const nu = 5;
    const nm = 40;
    const d = 6;
    const userEmb = Float64Array.from({ length: nu * d }, () => rng.normal());
    const movieEmb = Float64Array.from({ length: nm * d }, () => rng.normal());
    const k = 7;
    const users = [3, 0, 3, 1, 3, 0, 4, 1];
    const perUser = Array.from({ length: nu }, () => Array.from({ length: k }, () => rng.int(nm)));
    const groups: Groups = {
      user: Int32Array.from(users),
      pos: Int32Array.from(users, () => rng.int(nm)),
      neg: Int32Array.from(users.flatMap((u) => perUser[u])),
      negatives: k,
    };
    const run = (shared: boolean) => {
      const du = new Float64Array(userEmb.length);
      const dm = new Float64Array(movieEmb.length);
      const loss = rankingLoss('softmax', userEmb, movieEmb, d, 2.5, { ...groups, shared }, du, dm);
      return { loss, du, dm };
    };
    const slow = run(false);
    const fast = run(true);
    expect(fast.loss).toBeCloseTo(slow.loss, 12);
    for (let i = 0; i < slow.du.length; i++) expect(fast.du[i]).toBeCloseTo(slow.du[i], 12);
    for (let i = 0; i < slow.dm.length; i++) expect(fast.dm[i]).toBeCloseTo(slow.dm[i], 12);
  });
});
