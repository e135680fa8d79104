import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { loadMlLatest } from '../../pipeline/data/ml-latest.ts';
import { exactDegrees, SHAPES, type ShapeName, synthesize } from '../../pipeline/data/synthesize.ts';

const root = mkdtempSync(join(tmpdir(), 'cinesage-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILES = ['movies.csv', 'links.csv', 'ratings.csv'];
function folderHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of FILES) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex');
}

describe('synthesize', () => {
  it.each(['ml-100k', 'ml-latest-small'] as ShapeName[])('%s: the exact shape, loadable as ml-latest', async (name) => {
    const shape = SHAPES[name];
    const out = join(root, name);
    const result = synthesize({ shape, out, seed: 7 });
    expect(result).toMatchObject({ users: shape.users, movies: shape.movies, ratings: shape.ratings });

    const ds = await loadMlLatest(out, name);
    expect(ds.users).toHaveLength(shape.users);
    expect(ds.movies).toHaveLength(shape.movies);
    expect(ds.ratings.length).toBe(shape.ratings);
    expect(ds.movies.at(-1)!.id).toBeLessThanOrEqual(shape.maxMovieId);
    expect(ds.movies.every((m) => m.links !== undefined)).toBe(true);
    expect(ds.movies.filter((m) => m.year !== null).length).toBeGreaterThan(0.99 * shape.movies);
    expect(ds.genres.length).toBeGreaterThanOrEqual(18);

    // Per user: at least 20 ratings, distinct movies, strictly increasing times in file order.
    const { user, movie, rating, timestamp } = ds.ratings;
    const count = new Map<number, number>();
    const pairs = new Set<number>();
    const stars = new Map<number, number>();
    for (let i = 0; i < ds.ratings.length; i++) {
      count.set(user[i], (count.get(user[i]) ?? 0) + 1);
      pairs.add(user[i] * 1_000_000 + movie[i]);
      stars.set(rating[i], (stars.get(rating[i]) ?? 0) + 1);
      if (i > 0 && user[i] === user[i - 1]) expect(timestamp[i]).toBeGreaterThan(timestamp[i - 1]);
      if (i > 0) expect(user[i]).toBeGreaterThanOrEqual(user[i - 1]);
    }
    expect(pairs.size).toBe(shape.ratings);
    expect(Math.min(...count.values())).toBeGreaterThanOrEqual(20);
    // Half stars 0.5–5.0, all ten used, 4.0 the most common (as on MovieLens), mean near 3.5.
    expect([...stars.keys()].sort((a, b) => a - b)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    const mode = [...stars.entries()].sort((a, b) => b[1] - a[1])[0][0];
    expect([3, 4]).toContain(mode);
    let sum = 0;
    for (let i = 0; i < rating.length; i++) sum += rating[i];
    expect(sum / rating.length).toBeGreaterThan(3.2);
    expect(sum / rating.length).toBeLessThan(3.8);

    // The rest of the pipeline takes it unchanged.
    const built = buildGraph(ds);
    expect(built.graph.numEdges).toBe(shape.ratings);
    expect(built.graph.numUsers).toBe(shape.users);
    expect(built.graph.numMovies).toBe(shape.movies);
  });

  it('is deterministic for a seed, and another seed gives other files', () => {
    const shape = SHAPES['ml-100k'];
    synthesize({ shape, out: join(root, 'a'), seed: 3 });
    synthesize({ shape, out: join(root, 'b'), seed: 3 });
    synthesize({ shape, out: join(root, 'c'), seed: 4 });
    expect(folderHash(join(root, 'a'))).toBe(folderHash(join(root, 'b')));
    for (const f of FILES) {
      expect(readFileSync(join(root, 'a', f)).equals(readFileSync(join(root, 'c', f)))).toBe(false);
    }
  });

  it('stars carry signal: per-movie quality and per-user bias predict held-out stars', async () => {
    const ds = await loadMlLatest(join(root, 'ml-latest-small'), 'x');
    // Every other rating fits a shrunk user + movie bias model; the rest are predicted with it.
    const { user, movie, rating } = ds.ratings;
    const inFit = (i: number) => i % 2 === 0;
    let global = 0;
    let n = 0;
    for (let i = 0; i < rating.length; i++) {
      if (inFit(i)) {
        global += rating[i];
        n++;
      }
    }
    global /= n;
    const offsets = (key: Int32Array, base: (i: number) => number) => {
      const sums = new Map<number, [number, number]>();
      for (let i = 0; i < rating.length; i++) {
        if (!inFit(i)) continue;
        const s = sums.get(key[i]) ?? [0, 0];
        sums.set(key[i], [s[0] + rating[i] - base(i), s[1] + 1]);
      }
      return (k: number) => {
        const s = sums.get(k);
        return s ? s[0] / (s[1] + 5) : 0;
      };
    };
    const userOffset = offsets(user, () => global);
    const movieOffset = offsets(movie, (i) => global + userOffset(user[i]));
    let errGlobal = 0;
    let errBias = 0;
    for (let i = 0; i < rating.length; i++) {
      if (inFit(i)) continue;
      errGlobal += (rating[i] - global) ** 2;
      errBias += (rating[i] - (global + userOffset(user[i]) + movieOffset(movie[i]))) ** 2;
    }
    expect(errBias).toBeLessThan(0.85 * errGlobal);
  });

  it('exactDegrees hits the total within [min, cap]', () => {
    const n = 50;
    const weight = Float64Array.from({ length: n }, (_, i) => (i + 1) ** -1.5);
    const byRank = Int32Array.from({ length: n }, (_, i) => i);
    for (const total of [n * 20, 1234, 3000, n * 100]) {
      const d = exactDegrees(weight, byRank, total, 20, 100);
      expect(d.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(20);
      expect(Math.max(...d)).toBeLessThanOrEqual(100);
    }
    expect(() => exactDegrees(weight, byRank, n * 100 + 1, 20, 100)).toThrow(/cannot be split/);
  });
});
