/**
 * Training through the params cache: the first call trains and writes, the same inputs load without
 * training (identical weights), and a changed option retrains.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { trainWithCache } from '../../pipeline/train/cache.ts';
import { paramsToJson } from '../../pipeline/train/params-io.ts';
import { Rng } from '../../pipeline/train/rng.ts';
import type { Dataset } from '../../src/core/dataset.ts';

const dir = mkdtempSync(join(tmpdir(), 'cinesage-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyDataset(): Dataset {
  const rng = new Rng(4);
  const users = Array.from({ length: 20 }, (_, i) => ({
    id: i + 1,
    age: i % 5 === 0 ? null : 20 + i,
    gender: i % 2 ? ('M' as const) : ('F' as const),
    occupation: i % 3 ? 'writer' : null,
  }));
  const movies = Array.from({ length: 30 }, (_, i) => ({
    id: i + 1,
    title: `M${i}`,
    year: 1990 + (i % 10),
    genres: [i % 2 ? 'Drama' : 'Comedy'],
  }));
  const u: number[] = [];
  const m: number[] = [];
  for (let a = 1; a <= 20; a++) {
    for (let b = 1; b <= 30; b++) {
      if (rng.float() >= 0.3) continue;
      u.push(a);
      m.push(b);
    }
  }
  return {
    name: 'tiny',
    format: 'ml-100k',
    genres: ['Comedy', 'Drama'],
    occupations: ['writer'],
    users,
    movies,
    ratings: {
      length: u.length,
      user: Int32Array.from(u),
      movie: Int32Array.from(m),
      rating: Float32Array.from(u, () => 1 + rng.int(5)),
      timestamp: Uint32Array.from(u, (_, i) => i),
    },
  };
}

test('trains once, then loads the cached params; other options retrain', () => {
  const built = buildGraph(tinyDataset());
  const path = join(dir, 'params.json');
  const opts = {
    epochs: 3,
    config: {
      hiddenDim: 4,
      outDim: 4,
      movieIdEmbeddingDim: 2,
      skip: 'concat' as const,
      normalize: true,
      temperature: 0.2,
    },
  };
  const first = trainWithCache(built, opts, path);
  expect(first.result).not.toBeNull();
  const again = trainWithCache(built, { ...opts, onProgress: () => {} }, path);
  expect(again.result).toBeNull();
  expect(paramsToJson(again.params)).toBe(paramsToJson(first.params));
  const changed = trainWithCache(built, { ...opts, seed: 99 }, path);
  expect(changed.result).not.toBeNull();
  expect(changed.key).not.toBe(first.key);
});
