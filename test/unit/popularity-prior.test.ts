/**
 * The ranking's popularity prior (pipeline/train/popularity-prior.ts): the score column it adds is exactly
 * τ·β·log(1 + n_m), so the ranking is z_u·z_m / τ + β·log(1 + n_m); the trainer ships it on top of the
 * trained weights (β = 1 by default), or none when told not to.
 */
import { describe, expect, test } from 'vitest';
import { priorColumn, withPopularityPrior } from '../../pipeline/train/popularity-prior.ts';
import { type TrainOptions, trainModel } from '../../pipeline/train/train.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelConfig } from '../../src/core/model/params.ts';
import { plantedGraph } from '../helpers/planted-graph.ts';
import { randomParams, rng } from '../helpers/random-model.ts';

const g = plantedGraph({ seed: 3, users: 80, movies: 60, perUser: 12 });
const degree = (m: number) => g.moviePtr[m + 1] - g.moviePtr[m];

describe('popularity prior', () => {
  test('the score column is τ·β·log(1 + degree): scores are z_u·z_m / τ + β·log(1 + n_m)', () => {
    const p = randomParams(rng(7), g, {});
    const withPrior = withPopularityPrior(p, g, 0.5);
    expect(withPrior.config.movieScoreBias).toBe(true);
    expect(withPopularityPrior(p, g, 0)).toBe(p);
    const plain = forward(g, p);
    const f = forward(g, withPrior);
    expect(f.dim).toBe(plain.dim + 1);
    const tau = p.config.temperature;
    for (const [u, m] of [
      [0, 5],
      [17, 42],
      [79, 0],
    ]) {
      let dot = 0;
      for (let j = 0; j < plain.dim; j++) dot += plain.userEmb[u * plain.dim + j] * plain.movieEmb[m * plain.dim + j];
      let withCol = 0;
      for (let j = 0; j < f.dim; j++) withCol += f.userEmb[u * f.dim + j] * f.movieEmb[m * f.dim + j];
      expect(withCol / tau).toBeCloseTo(dot / tau + 0.5 * Math.log1p(degree(m)), 4);
    }
    expect(priorColumn(g, 2, 0.1)[5]).toBeCloseTo(0.2 * Math.log1p(degree(5)), 6);
    expect(() => withPopularityPrior(withPrior, g, 1)).toThrow(/already has a score column/);
  });

  test('the trainer ships β = 1 by default, none when popularityPrior is 0 or the score bias is learned', () => {
    const small: Partial<TrainOptions> = {
      seed: 2,
      epochs: 6,
      config: { hiddenDim: 8, outDim: 8, movieIdEmbeddingDim: 4, skip: 'concat', normalize: true, temperature: 0.2 },
      negatives: 8,
      batchesPerEpoch: 2,
      unknownUserRow: Float32Array.of(0, 0, 1),
      evalEvery: 1,
    };
    const on = trainModel(g, small);
    expect(on.popularityPrior).toBe(1);
    expect(on.params.config.movieScoreBias).toBe(true);
    expect(Array.from(on.params.movieScoreBias)).toEqual(Array.from(priorColumn(g, 1, 0.2)));
    const off = trainModel(g, { ...small, popularityPrior: 0 });
    expect(off.popularityPrior).toBe(0);
    expect(off.params.config.movieScoreBias).toBeUndefined();
    expect(off.params.movieScoreBias).toHaveLength(0);
    // The same weights underneath: the prior is added after training, never trained against.
    expect(Array.from(off.params.layer2.movie.self.weight)).toEqual(Array.from(on.params.layer2.movie.self.weight));
    // A learned score bias keeps its own column and gets no prior.
    const learned = trainModel(g, { ...small, config: { ...(small.config as ModelConfig), movieScoreBias: true } });
    expect(learned.popularityPrior).toBe(0);
  });
});
