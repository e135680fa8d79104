import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { userItemBias } from '../../pipeline/eval/baselines/bias.ts';
import { mostPop } from '../../pipeline/eval/baselines/most-pop.ts';
import { graphSage } from '../../pipeline/eval/model.ts';
import { formatPredictions, PREDICTIONS_HEADER } from '../../pipeline/eval/predictions.ts';
import { transductiveSplit } from '../../pipeline/eval/protocols.ts';
import { type EvalResults, runEval } from '../../pipeline/eval/run-eval.ts';
import { likesOnly, shareFit } from '../../pipeline/eval/variants.ts';
import { movieLensDir } from '../support/movielens.ts';
import { randomTrain, ratingTable, tinyDataset } from './eval-fixtures.ts';

describe('the predictions file', () => {
  test('one userId,movieId,predicted line per hidden test rating, after the header', () => {
    const ds = tinyDataset();
    const test = ratingTable([
      [2, 12, 3, 1],
      [1, 10, 5, 1],
      [1, 9, 1, 1],
    ]);
    const split = transductiveSplit('t', ds, ds.ratings, test);
    const text = formatPredictions(split, Float32Array.of(4.25, 1.5, 3.123456));
    expect(text).toBe(`${PREDICTIONS_HEADER}\n1,10,4.2500\n1,9,1.5000\n2,12,3.1235\n`);
    expect(() => formatPredictions(split, Float32Array.of(1, 2))).toThrow(/2 predictions/);
    expect(() => formatPredictions(split, Float32Array.of(1, 2, 3, 4))).toThrow(/4 predictions for 3/);
  });
});

describe('runEval on ML-100K (baselines and a tiny random model)', () => {
  test('per-seed runs, deterministic methods once, likes-only on the visitor split only, predictions exported', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'cinesage-eval-'));
    const predictionsFile = join(outDir, 'u1-predictions.csv');
    const model = shareFit(graphSage(randomTrain));
    const results = await runEval({
      dataDir: movieLensDir(),
      protocols: ['u1', 'visitor'],
      skipModel: false,
      seed: 42,
      seeds: [42, 7],
      outDir,
      exportPredictions: predictionsFile,
      methods: [mostPop(), userItemBias({ lambdaUser: 3, lambdaItem: 1 }), model, likesOnly(model)],
    });
    const [pop, bias, sage, liked] = results.methods;
    expect(pop.results.u1?.runs.length).toBe(1);
    expect(bias.results.visitor?.seeds).toEqual([42]);
    expect(sage.results.u1?.seeds).toEqual([42, 7]);
    expect(liked.name).toBe('GraphSAGE (likes only)');
    expect(liked.results.u1).toBeUndefined();
    expect(liked.results.visitor?.runs.length).toBe(2);
    expect(pop.results.u1?.summary.rmse).toBeNull();
    expect(results.protocols.u1?.hiddenRatings).toBe(20000);
    expect(results.protocols.visitor?.dislikeUsers).toBe(171);

    // Different seeds, different random models: a spread.
    const [a, b] = sage.results.u1?.runs ?? [];
    expect(a.recall20).not.toBe(b.recall20);
    const summary = sage.results.u1?.summary.recall20;
    expect(summary?.mean).toBeCloseTo((a.recall20 + b.recall20) / 2, 12);
    expect(summary?.spread).toBeCloseTo(Math.abs(a.recall20 - b.recall20) / 2, 12);

    // The file holds every u1.test pair; its RMSE is the seed-42 model's.
    const lines = (await readFile(predictionsFile, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(PREDICTIONS_HEADER);
    expect(lines.length).toBe(20001);
    const truth = new Map<string, number>();
    for (const line of (await readFile(join(movieLensDir(), 'u1.test'), 'utf8')).trim().split('\n')) {
      const [u, m, r] = line.split('\t');
      truth.set(`${u},${m}`, Number(r));
    }
    let se = 0;
    for (const line of lines.slice(1)) {
      const [u, m, p] = line.split(',');
      const r = truth.get(`${u},${m}`);
      expect(r).toBeDefined();
      se += (Number(p) - (r as number)) ** 2;
    }
    expect(Math.sqrt(se / 20000)).toBeCloseTo(a.rmse as number, 4);

    const json = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as EvalResults;
    expect(json.seeds).toEqual([42, 7]);
    expect(json.methods[2].results.visitor?.runs.length).toBe(2);
    const md = await readFile(join(outDir, 'RESULTS.md'), 'utf8');
    expect(md).toContain('| GraphSAGE | ');
    expect(md).toMatch(/\| GraphSAGE \(likes only\) \| \d\.\d{4} ± \d\.\d{4} \|/);
  });

  test('exports need the u1 model', async () => {
    const base = { dataDir: movieLensDir(), seed: 42, seeds: [42], outDir: tmpdir() };
    await expect(
      runEval({ ...base, protocols: ['visitor'], skipModel: false, exportPredictions: 'x' }),
    ).rejects.toThrow(/--export-/);
    await expect(runEval({ ...base, protocols: ['u1'], skipModel: true, exportEmbeddings: 'x' })).rejects.toThrow(
      /--export-/,
    );
  });
});
