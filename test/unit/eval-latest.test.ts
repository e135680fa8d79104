/**
 * Evaluation on a data set in the MovieLens "latest" CSV format (half stars, no demographics, no u1 files):
 * the per-user 80/20 split that stands in for u1, the visitor split, half-star positives and dislikes,
 * EASE's movie cap on a large catalog, per-data-set results and the index that keeps every data set.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadMovieLens } from '../../pipeline/data/movielens.ts';
import { userItemBias } from '../../pipeline/eval/baselines/bias.ts';
import { ease, easeItems } from '../../pipeline/eval/baselines/ease.ts';
import { mostPop } from '../../pipeline/eval/baselines/most-pop.ts';
import { parseEvalArgs } from '../../pipeline/eval/commands.ts';
import { graphSage } from '../../pipeline/eval/model.ts';
import { hasU1Files, perUserTestRows, transductiveProtocol, visitorSplit } from '../../pipeline/eval/protocols.ts';
import { type EvalResults, runEval, writeResultsIndex } from '../../pipeline/eval/run-eval.ts';
import { likesOnly, shareFit } from '../../pipeline/eval/variants.ts';
import { movieLensDir } from '../support/movielens.ts';
import { randomTrain, writeLatestDataset } from './eval-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'cinesage-eval-latest-'));
const dir = join(root, 'my-catalog');
mkdirSync(dir);
const total = writeLatestDataset(dir);

describe('protocols on a "latest" data set', () => {
  test('the per-user split holds out round(20%) of each user, seeded, disjoint and complete', async () => {
    const ds = await loadMovieLens(dir);
    expect(ds.ratings.length).toBe(total);
    const a = perUserTestRows(ds.ratings, 42);
    expect(a.train.length + a.test.length).toBe(total);
    expect(new Set([...a.train, ...a.test]).size).toBe(total);
    const perUser = (rows: Int32Array) => {
      const m = new Map<number, number>();
      for (const r of rows) m.set(ds.ratings.user[r], (m.get(ds.ratings.user[r]) ?? 0) + 1);
      return m;
    };
    const all = perUser(Int32Array.from({ length: total }, (_, i) => i));
    const held = perUser(a.test);
    for (const [u, n] of all) expect(held.get(u) ?? 0).toBe(Math.round(0.2 * n));
    expect([...perUserTestRows(ds.ratings, 42).test]).toEqual([...a.test]);
    expect([...perUserTestRows(ds.ratings, 1).test]).not.toEqual([...a.test]);
  });

  test('u1 is the per-user split here, the official files on ML-100K; half stars: ≥ 4.0 positive, ≤ 2.0 dislike', async () => {
    expect(hasU1Files(dir)).toBe(false);
    expect(hasU1Files(movieLensDir())).toBe(true);
    const u1 = await transductiveProtocol(dir, 42);
    expect(u1.perUser).toBe(true);
    expect(u1.name).toBe('u1');
    expect(u1.graph.numUsers).toBe(40);
    expect(u1.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0) + u1.trainRatings.length).toBe(total);
    const visitor = await visitorSplit(dir, 42);
    expect(visitor.heldOutUserIds.length).toBe(8);
    expect(visitor.graph.numUsers).toBe(32);
    for (const split of [u1, visitor]) {
      for (const user of split.testUsers) {
        const pos = new Set(user.positives);
        const bad = new Set(user.dislikes);
        user.hiddenMovies.forEach((m, i) => {
          const r = user.hiddenRatings[i];
          expect(pos.has(m)).toBe(r >= 4);
          expect(bad.has(m)).toBe(r <= 2);
        });
      }
    }
    for (const user of visitor.users) expect(user.revealedMovies.length).toBe(10);
    const halfStars = visitor.testUsers.flatMap((u) => [...u.hiddenRatings]).filter((r) => r % 1 !== 0);
    expect(halfStars.length).toBeGreaterThan(0);
  });

  test('EASE over a capped set of the most-rated movies never recommends the others', async () => {
    const split = await visitorSplit(dir, 42);
    const items = easeItems(split.graph, 20);
    expect(items?.length).toBe(20);
    expect(easeItems(split.graph, 1000)).toBeNull();
    const deg = (m: number) => split.graph.moviePtr[m + 1] - split.graph.moviePtr[m];
    const kept = new Set(items);
    const minKept = Math.min(...[...kept].map(deg));
    for (let m = 0; m < split.graph.numMovies; m++) if (!kept.has(m)) expect(deg(m)).toBeLessThanOrEqual(minKept);
    const rec = await ease({ lambda: 10, maxItems: 20 }).fit({ split, seed: 42, log: () => {} });
    expect(rec.info?.movies).toBe(20);
    const out = new Float32Array(split.graph.numMovies);
    const user = split.users[0];
    rec.scoreNewUser(user.revealedMovies, user.revealedRatings, out);
    for (let m = 0; m < out.length; m++) if (!kept.has(m)) expect(out[m]).toBeLessThan(-1e29);
  });
});

describe('runEval on a "latest" data set and the index of every data set', () => {
  test('both protocols, the data set named in results and markdown; the index keeps ML-100K first', async () => {
    const evalDir = join(root, 'eval');
    const outDir = join(evalDir, 'my-catalog');
    const model = shareFit(graphSage(randomTrain));
    const results = await runEval({
      dataDir: dir,
      protocols: ['u1', 'visitor'],
      skipModel: false,
      seed: 42,
      seeds: [42, 1],
      outDir,
      methods: [
        mostPop(),
        ease({ grid: [10, 100], maxItems: 30 }),
        userItemBias({ lambdaUser: 3, lambdaItem: 1 }),
        model,
        likesOnly(model),
      ],
    });
    expect(results.dataset).toEqual({ name: 'my-catalog', format: 'ml-latest', users: 40, movies: 60, ratings: total });
    expect(results.protocols.u1?.perUserSplit).toEqual({ testFraction: 0.2 });
    expect(results.protocols.visitor?.heldOutUsers).toBe(8);
    expect(results.methods[3].results.u1?.runs.length).toBe(2);
    expect(results.methods[2].results.visitor?.summary.rmse?.mean).toBeGreaterThan(0);
    const md = readFileSync(join(outDir, 'RESULTS.md'), 'utf8');
    expect(md).toMatch(/^# Evaluation results: my-catalog\n/);
    expect(md).toContain('## u1 analogue (transductive: a seeded per-user random 80/20 split)');
    expect(md).toContain('positives ≥ 4.0, dislikes 0.5–2.0');
    expect(md).not.toContain('GC-MC');
    expect(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as EvalResults).toMatchObject({
      dataDir: dir,
      seeds: [42, 1],
    });
    expect(readFileSync(join(outDir, 'visitor-holdout.txt'), 'utf8')).toContain('seed 42');

    mkdirSync(join(evalDir, 'ml-100k'));
    writeFileSync(join(evalDir, 'ml-100k', 'RESULTS.md'), '# Evaluation results: ML-100K\n\n## u1\n\ntable\n');
    const index = await writeResultsIndex(evalDir);
    expect(index).toBe(readFileSync(join(evalDir, 'RESULTS.md'), 'utf8'));
    expect(index.indexOf('## Evaluation results: ML-100K')).toBeLessThan(
      index.indexOf('## Evaluation results: my-catalog'),
    );
    expect(index).toContain('### u1\n');
    expect(index).toContain('- [my-catalog](my-catalog/RESULTS.md)');
  });

  test('the CLI takes --dataset or --data and an optional --out', () => {
    const parsed = parseEvalArgs(['--dataset', 'ml-latest-small', '--seeds', '42']);
    expect(parsed).toMatchObject({ dataset: 'ml-latest-small', seeds: [42] });
    expect(parsed.outDir).toBeUndefined();
    expect(parseEvalArgs(['--data', dir, '--out', 'x'])).toMatchObject({ dataDir: dir, outDir: 'x' });
    expect(() => parseEvalArgs(['--dataset'])).toThrow(/needs a value/);
  });
});
