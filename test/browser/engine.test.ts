/**
 * The inference worker end to end in Chromium, on the real artifacts (ML-100K snapshot + trained model):
 * start-up on WASM and on WebGPU (software adapter) with equal results, the exactness of the visitor's
 * incremental update against a full forward over the updated graph, no forward pass on a reload with
 * unchanged artifacts, ratings that survive a crashed worker, typed errors, and two tabs on one profile.
 */
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { RecommenderClient } from '../../src/client/recommender-client.ts';
import type { RecommendResult } from '../../src/core/api.ts';
import { ArtifactMismatchError, InvalidRatingError } from '../../src/core/errors.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { parseManifest } from '../../src/core/manifest.ts';
import { forward } from '../../src/core/model/forward.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { MutableRatingGraph } from '../../src/core/mutable-graph.ts';
import { neighbourScores, type RaterLists, raterListsOf } from '../../src/core/recommend/neighbours.ts';
import { createBitset, setBit, topN } from '../../src/core/recommend/rank.ts';
import type { Snapshot } from '../../src/core/snapshot/format.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';

const ARTIFACTS = inject('artifactsUrl');
const stores: string[] = [];
const clients: RecommenderClient[] = [];

function client(
  backend: 'wasm' | 'webgpu' | 'auto',
  storeName: string,
  modelVariant?: 'int8',
  artifactsUrl = ARTIFACTS,
): RecommenderClient {
  if (!stores.includes(storeName)) stores.push(storeName);
  const c = new RecommenderClient({ artifactsUrl, backend, storeName, modelVariant });
  clients.push(c);
  return c;
}

let snapshot: Snapshot;
let params: ModelParams;
beforeAll(async () => {
  const manifest = parseManifest(await (await fetch(`${ARTIFACTS}manifest.json`)).text());
  const file = (kind: string, variant?: string) =>
    manifest.artifacts.find((a) => a.kind === kind && (!variant || a.metadata.variant === variant))?.name as string;
  snapshot = readSnapshot(await (await fetch(ARTIFACTS + file('snapshot'))).arrayBuffer());
  params = readModelParams(new Uint8Array(await (await fetch(ARTIFACTS + file('model', 'fp32'))).arrayBuffer()));
});
afterAll(async () => {
  for (const c of clients) c.dispose();
  for (const s of stores) await Dexie.delete(s);
});

/**
 * The visitor's top-N from a full forward over the graph with the visitor appended (the definition): the
 * model's score plus the neighbourhood term of their ratings over the snapshot graph.
 */
function fullForwardTopN(rated: Map<number, number>, n: number): number[] {
  const g = snapshot.graph;
  const live = new MutableRatingGraph(g);
  const v = live.appendUser(userFeatureRow(snapshot.featureSpec, null));
  const index = new Map<number, number>();
  for (let m = 0; m < g.numMovies; m++) index.set(g.movieIds[m], m);
  const exclude = createBitset(g.numMovies);
  for (const [movieId, stars] of rated) {
    live.setRating(v, index.get(movieId) as number, stars, 0);
    setBit(exclude, index.get(movieId) as number);
  }
  const out = forward(live.toRatingGraph(), params);
  const z = out.userEmb.subarray(v * out.dim, (v + 1) * out.dim);
  const scale = 1 / params.config.temperature;
  const term = neighbourScores(
    raterListsOf(g) as RaterLists,
    [...rated].map(([movieId, stars]) => ({ movie: index.get(movieId) as number, stars })),
    params.calibration.neighbourWeight ?? 0,
  );
  const scores = new Float32Array(g.numMovies);
  for (let m = 0; m < g.numMovies; m++) {
    let s = 0;
    for (let j = 0; j < out.dim; j++) s += z[j] * out.movieEmb[m * out.dim + j];
    scores[m] = Math.fround(s * scale) + term[m];
  }
  return [...topN(scores, n, exclude)].map((m) => g.movieIds[m]);
}

const ids = (r: RecommendResult) => r.items.map((i) => i.movieId);
const RATINGS: [number, number][] = [
  [50, 5], // Star Wars
  [172, 5], // The Empire Strikes Back
  [98, 4], // The Silence of the Lambs
  [1, 2], // Toy Story
  [127, 5], // The Godfather
];

describe('on WASM', () => {
  const store = `cinesage-test-wasm-${Date.now()}`;

  test('starts, computes embeddings once, and recommends popular movies with no ratings', async () => {
    const c = client('wasm', store);
    const status = await c.personalised();
    expect(status.state).toBe('ready');
    expect(status.backend).toBe('wasm');
    expect(status.embeddingSource).toBe('computed');
    expect(status.fullForwardPasses).toBe(1);
    expect(status.counts).toEqual({ users: 943, movies: 1682, ratings: 100_000 });
    const first = await c.call('recommend', { n: 10 });
    expect(first.popularFallback).toBe(true);
    expect(first.items[0].title).toBe('Star Wars (1977)');
  });

  test('every rating, change and removal gives exactly the full forward’s top-20', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const rated = new Map<number, number>();
    let previous: number[] = [];
    for (const [movieId, stars] of RATINGS) {
      await c.call('rate', movieId, stars);
      rated.set(movieId, stars);
      const result = await c.call('recommend', { n: 20 });
      expect(result.popularFallback).toBe(false);
      expect(ids(result)).toEqual(fullForwardTopN(rated, 20));
      expect(ids(result)).not.toEqual(previous);
      for (const id of rated.keys()) expect(ids(result)).not.toContain(id);
      previous = ids(result);
    }
    await c.call('rate', 1, 5);
    rated.set(1, 5);
    expect(ids(await c.call('recommend', { n: 20 }))).toEqual(fullForwardTopN(rated, 20));
    await c.call('removeRating', 98);
    rated.delete(98);
    expect(ids(await c.call('recommend', { n: 20 }))).toEqual(fullForwardTopN(rated, 20));
    const status = await c.refreshStatus();
    expect(status.fullForwardPasses).toBe(1);
    expect(status.timings.lastUpdateMs).toBeLessThan(50);
  });

  test('recommendations carry predicted ratings and reasons, and filters apply before scoring', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const r = await c.call('recommend', { n: 20, genres: ['Comedy'], years: [1990, 1998], minPopularity: 20 });
    expect(r.items.length).toBe(20);
    for (const item of r.items) {
      expect(item.genres).toContain('Comedy');
      expect(item.year).toBeGreaterThanOrEqual(1990);
      expect(item.popularity).toBeGreaterThanOrEqual(20);
      expect(item.predictedRating).toBeGreaterThanOrEqual(1);
      expect(item.predictedRating).toBeLessThanOrEqual(5);
      expect(item.because.length).toBeGreaterThan(0);
    }
  });

  test('a rating answers with what the page repaints from: the ratings, the list for its request, the status', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const request = { n: 15, genres: ['Drama'] };
    const view = await c.call('rate', 181, 4, request);
    expect(view.ratings).toEqual(await c.call('getRatings'));
    expect(view.ratings[0].movieId).toBe(181);
    expect(ids(view.result)).toEqual(ids(await c.call('recommend', request)));
    expect(view.status.visitorRatings).toBe(view.ratings.length);
    const removed = await c.call('removeRating', 181, request);
    expect(removed.ratings.map((r) => r.movieId)).not.toContain(181);
    const again = await c.call('view', request);
    expect(again.ratings).toEqual(removed.ratings);
    expect(ids(again.result)).toEqual(ids(removed.result));
  });

  test('with rated movies allowed back, "hide low-rated" still hides the low ones', async () => {
    const c = clients.at(-1) as RecommenderClient;
    await c.call('rate', 1, 2); // Toy Story, already rated: the count stays the same
    const rated = await c.call('getRatings');
    const low = rated.filter((r) => r.stars < 3).map((r) => r.movieId);
    const high = rated.filter((r) => r.stars >= 4).map((r) => r.movieId);
    expect(low.length).toBeGreaterThan(0);
    const r = await c.call('recommend', { n: 50, excludeRated: false, excludeLowRated: true });
    for (const id of low) expect(ids(r)).not.toContain(id);
    expect(ids(r).some((id) => high.includes(id))).toBe(true);
    const all = await c.call('recommend', { n: 1682, excludeRated: false, excludeLowRated: false });
    for (const id of [...low, ...high]) expect(ids(all)).toContain(id);
  });

  test('invalid ratings are refused with their own error class and change nothing', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const before = await c.call('getRatings');
    await expect(c.call('rate', 99999, 4)).rejects.toBeInstanceOf(InvalidRatingError);
    await expect(c.call('rate', 50, 7)).rejects.toThrow(/outside 1–5 stars/);
    await expect(c.call('rate', 50, 3.5)).rejects.toThrow(/whole stars/);
    expect(await c.call('getRatings')).toEqual(before);
  });

  test('a reload with unchanged artifacts does no forward pass and keeps the ratings', async () => {
    const before = await (clients.at(-1) as RecommenderClient).call('recommend', { n: 20 });
    const c = client('wasm', store);
    const status = await c.personalised();
    expect(status.embeddingSource).toBe('indexeddb');
    expect(status.fullForwardPasses).toBe(0);
    expect(status.visitorRatings).toBe(RATINGS.length - 1);
    expect(ids(await c.call('recommend', { n: 20 }))).toEqual(ids(before));
  });

  test('a crashed worker is replaced and the visitor’s ratings come back', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const ratings = await c.call('getRatings');
    c.worker.terminate('simulated crash');
    const status = await c.personalised();
    expect(status.state).toBe('ready');
    expect(await c.call('getRatings')).toEqual(ratings);
  });

  test('two tabs share one profile: a rating in one is seen by the other', async () => {
    const a = client('wasm', store);
    const b = client('wasm', store);
    await Promise.all([a.personalised(), b.personalised()]);
    await a.call('rate', 181, 4);
    expect(await b.call('syncRatings')).toBe(true);
    expect((await b.call('getRatings')).map((r) => r.movieId)).toContain(181);
    expect(ids(await b.call('recommend', { n: 20 }))).toEqual(ids(await a.call('recommend', { n: 20 })));
  });

  test('browsing as a data set user refreshes stale embeddings with one full pass', async () => {
    const c = clients.at(-1) as RecommenderClient;
    const before = (await c.refreshStatus()).fullForwardPasses;
    const r = await c.call('recommend', { userId: 1, n: 10 });
    const [again] = await c.call('recommendBatch', [1, 2, 3], 10);
    expect(r.forUser).toBe('MovieLens user 1');
    expect(ids(again)).toEqual(ids(r));
    expect((await c.refreshStatus()).fullForwardPasses).toBe(before + 1);
  });
});

describe('the default start-up (backend by policy)', () => {
  const store = `cinesage-test-auto-${Date.now()}`;

  test('starts from the serving snapshot: no graph, no runtime, no forward pass, and every update exact', async () => {
    const c = client('auto', store);
    const early = await c.ready();
    expect(early.counts).toEqual({ users: 943, movies: 1682, ratings: 100_000 });
    expect(early.timings.catalogMs).toBeGreaterThan(0);
    const status = await c.personalised();
    expect(status.state).toBe('ready');
    expect(status.embeddingSource).toBe('shipped');
    expect(status.fullForwardPasses).toBe(0);
    // The weights come with the serving snapshot: the model file is not downloaded on the visitor path.
    expect(status.artifacts.map((a) => a.name)).toEqual(['serving.fp32.bin']);
    expect(status.backend).toBe('wasm');
    expect(status.backendReason).toMatch(/WebAssembly/);
    const rated = new Map<number, number>();
    for (const [movieId, stars] of RATINGS) {
      await c.call('rate', movieId, stars);
      rated.set(movieId, stars);
      expect(ids(await c.call('recommend', { n: 20 }))).toEqual(fullForwardTopN(rated, 20));
    }
    expect((await c.refreshStatus()).fullForwardPasses).toBe(0);
  });

  test('a reload keeps the ratings; "browse as" fetches the full graph and computes the users’ with one pass', async () => {
    const c = client('auto', store);
    const status = await c.personalised();
    expect(status.embeddingSource).toBe('shipped');
    expect(status.visitorRatings).toBe(RATINGS.length);
    expect(status.fullForwardPasses).toBe(0);
    expect(await c.call('sampleUsers', 3)).toEqual([405, 655, 13]);
    const r = await c.call('recommend', { userId: 1, n: 10 });
    expect(r.forUser).toBe('MovieLens user 1');
    expect(r.items.length).toBe(10);
    expect((await c.refreshStatus()).fullForwardPasses).toBe(1);
  });

  test('a kept manifest older than the site: the start-up retries with the site’s own, and keeps that', async () => {
    const manifestUrl = `${ARTIFACTS}manifest.json`;
    const real = await (await fetch(manifestUrl)).text();
    const stale = JSON.parse(real) as {
      artifacts: { kind: string; sha256: string; metadata: Record<string, unknown> }[];
    };
    const serving = stale.artifacts.filter((a) => a.kind === 'serving').map((a) => a.sha256);
    for (const a of stale.artifacts) {
      if (a.kind !== 'serving') continue;
      a.sha256 = 'e'.repeat(64);
      a.metadata.catalogSha256 = 'e'.repeat(64);
    }
    const cache = await caches.open('cinesage-artifacts');
    await cache.put(manifestUrl, new Response(JSON.stringify(stale)));
    try {
      const name = `cinesage-test-stale-${Date.now()}`;
      stores.push(name);
      const c = new RecommenderClient({ artifactsUrl: ARTIFACTS, backend: 'auto', storeName: name, useCacheApi: true });
      clients.push(c);
      const status = await c.personalised();
      expect(status.state).toBe('ready');
      expect(status.embeddingSource).toBe('shipped');
      expect(serving).toContain(status.artifacts[0].sha256);
      const kept = JSON.parse(await ((await cache.match(manifestUrl)) as Response).text());
      expect(kept).toEqual(JSON.parse(real));
    } finally {
      await caches.delete('cinesage-artifacts');
    }
  });

  test('damaged files past the catalog: the popular list, search and rating still work; the error says what failed', async () => {
    const name = `cinesage-test-broken-${Date.now()}`;
    const c = client('auto', name, undefined, inject('brokenModelArtifactsUrl'));
    const early = await c.ready();
    expect(early.counts?.movies).toBe(1682);
    const view = await c.call('rate', 50, 5);
    expect(view.ratings.map((r) => r.movieId)).toEqual([50]);
    expect(view.result.items.map((i) => i.movieId)).not.toContain(50);
    expect(view.result.popularFallback).toBe(true);
    expect((await c.call('searchMovies', 'casablanca'))[0].title).toBe('Casablanca (1942)');
    const err = await c.personalised().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactMismatchError);
    expect((err as Error).message).toMatch(/serving\.fp32\.bin.*first \d+ bytes hash to/);
    const status = await c.refreshStatus();
    expect(status.state).toBe('error');
    expect(status.errorName).toBe('ArtifactMismatchError');
    const after = await c.call('view', { n: 20 });
    expect(after.result.personalising).toBe(true);
    expect(after.ratings.map((r) => r.movieId)).toEqual([50]);
  });
});

describe('on a slow link, while the serving snapshot still downloads', () => {
  test('the first personal lists come from the codes (rows by range request); the exact list follows by itself', async () => {
    const slow = client('auto', `cinesage-test-slow-${Date.now()}`, undefined, inject('slowArtifactsUrl'));
    const seen: string[] = [];
    slow.addEventListener('personalised', (e) => seen.push(String((e as CustomEvent).detail.embeddingSource)));
    await slow.ready();
    const exact = slow.personalised();
    await slow.call('whenPersonal');
    // Two changes of one movie in flight at once, its rows still on their way: the last one wins.
    const [movie, stars] = RATINGS[0];
    await Promise.all([slow.call('rate', movie, 1), slow.call('rate', movie, stars)]);
    expect((await slow.call('getRatings')).find((r) => r.movieId === movie)?.stars).toBe(stars);
    const early: RecommendResult[] = [];
    for (const [movieId, stars] of RATINGS) early.push((await slow.call('rate', movieId, stars)).result);
    const status = await slow.refreshStatus();
    expect(status.embeddingSource).toBe('codes');
    expect(early.every((r) => r.approximate === true && !r.popularFallback)).toBe(true);
    const last = early[early.length - 1];
    const done = await exact;
    expect(done.embeddingSource).toBe('shipped');
    expect(seen).toEqual(['codes', 'shipped']);
    const after = await slow.call('recommend', { n: 20 });
    expect(after.approximate).toBeUndefined();
    // The exact list is the one a fast start gives for the same ratings, and the early one was close to it.
    const fast = client('auto', `cinesage-test-fast-${Date.now()}`);
    await fast.personalised();
    for (const [movieId, stars] of RATINGS) await fast.call('rate', movieId, stars);
    expect(ids(after)).toEqual(ids(await fast.call('recommend', { n: 20 })));
    const overlap = ids(last).filter((m) => ids(after).includes(m)).length / 20;
    console.log(`approximate top-20 overlap with the exact one on ML-100K: ${overlap}`);
    expect(overlap).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});

describe('on WebGPU (software adapter)', () => {
  test('gives the same recommendations as WASM', async () => {
    const gpu = client('webgpu', `cinesage-test-gpu-${Date.now()}`);
    const cpu = client('wasm', `cinesage-test-cpu-${Date.now()}`);
    const [gs, cs] = await Promise.all([gpu.personalised(), cpu.personalised()]);
    expect(gs.backend).toBe('webgpu');
    expect(cs.backend).toBe('wasm');
    for (const [movieId, stars] of RATINGS) {
      await gpu.call('rate', movieId, stars);
      await cpu.call('rate', movieId, stars);
    }
    const [g, c] = await Promise.all([gpu.call('recommend', { n: 20 }), cpu.call('recommend', { n: 20 })]);
    expect(ids(g)).toEqual(ids(c));
    for (let i = 0; i < g.items.length; i++) expect(Math.abs(g.items[i].score - c.items[i].score)).toBeLessThan(1e-3);
    const [gu, cu] = await Promise.all([
      gpu.call('recommend', { userId: 42, n: 20 }),
      cpu.call('recommend', { userId: 42, n: 20 }),
    ]);
    expect(ids(gu)).toEqual(ids(cu));
  });
});

describe('the int8 model variant', () => {
  test('is chosen on request and ranks nearly as the fp32 model does', async () => {
    const small = client('wasm', `cinesage-test-int8-${Date.now()}`, 'int8');
    const full = client('wasm', `cinesage-test-fp32-${Date.now()}`);
    const [ss, fs] = await Promise.all([small.personalised(), full.personalised()]);
    expect(ss.modelVariant).toBe('int8');
    expect(fs.modelVariant).toBe('fp32');
    expect(ss.artifacts[1].size).toBeLessThan(fs.artifacts[1].size / 2);
    for (const [movieId, stars] of RATINGS) {
      await small.call('rate', movieId, stars);
      await full.call('rate', movieId, stars);
    }
    const [a, b] = await Promise.all([small.call('recommend', { n: 20 }), full.call('recommend', { n: 20 })]);
    const shared = ids(a).filter((id) => ids(b).includes(id)).length;
    expect(shared).toBeGreaterThanOrEqual(16);
  });
});
