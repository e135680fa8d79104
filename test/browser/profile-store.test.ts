import Dexie from 'dexie';
import { afterEach, expect, test } from 'vitest';
import { EMBEDDING_ROWS_PER_CHUNK, openProfileStore } from '../../workers/storage/profile-store.ts';

const names: string[] = [];
function dbName(): string {
  const name = `cinesage-test-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
}
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

test('ratings persist across reopening, and changes and removals stick', async () => {
  const name = dbName();
  const a = await openProfileStore(name);
  expect(a.status.mode).toBe('indexeddb');
  await a.putRating({ movieId: 50, stars: 5, time: 1 });
  await a.putRating({ movieId: 7, stars: 2, time: 2 });
  await a.putRating({ movieId: 50, stars: 4, time: 3 });
  await a.deleteRating(7);
  a.close();
  const b = await openProfileStore(name);
  expect(await b.getRatings()).toEqual([{ movieId: 50, stars: 4, time: 3 }]);
  b.close();
});

test('two tabs rating at the same time never lose each other’s ratings', async () => {
  const name = dbName();
  const [tab1, tab2] = await Promise.all([openProfileStore(name), openProfileStore(name)]);
  await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => tab1.putRating({ movieId: i, stars: 3, time: i })),
    ...Array.from({ length: 20 }, (_, i) => tab2.putRating({ movieId: 100 + i, stars: 4, time: i })),
  ]);
  expect((await tab1.getRatings()).length).toBe(40);
  tab1.close();
  tab2.close();
});

test('embeddings round-trip through packed chunks and old versions are evicted', async () => {
  const store = await openProfileStore(dbName());
  const dim = 8;
  const rows = EMBEDDING_ROWS_PER_CHUNK * 2 + 17;
  const data = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i));
  await store.putEmbeddings('v1', 'movie', data, dim);
  expect(await store.getEmbeddings('v1', 'movie', rows, dim)).toEqual(data);
  expect(await store.getEmbeddings('v1', 'movie', rows + 1, dim)).toBeNull();
  await store.putEmbeddings('v2', 'movie', data.subarray(0, dim * 3), dim);
  await store.evictOtherVersions('v2');
  expect(await store.getEmbeddings('v1', 'movie', rows, dim)).toBeNull();
  expect(await store.getEmbeddings('v2', 'movie', 3, dim)).toEqual(data.subarray(0, dim * 3));
  store.close();
});

test('a full disk moves the store to memory, says so, and keeps every rating', async () => {
  const store = await openProfileStore(dbName());
  await store.putRating({ movieId: 1, stars: 5, time: 1 });
  const realPut = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  try {
    await store.putRating({ movieId: 2, stars: 3, time: 2 });
  } finally {
    IDBObjectStore.prototype.put = realPut;
  }
  expect(store.status.mode).toBe('memory');
  expect(store.status.reason).toMatch(/no storage space left/);
  expect((await store.getRatings()).map((r) => r.movieId)).toEqual([1, 2]);
  store.close();
});

test('without IndexedDB the store works in memory and explains why', async () => {
  const real = globalThis.indexedDB;
  Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
  try {
    const store = await openProfileStore(dbName());
    expect(store.status.mode).toBe('memory');
    expect(store.status.reason).toMatch(/private mode/);
    await store.putRating({ movieId: 3, stars: 1, time: 1 });
    expect(await store.getRatings()).toEqual([{ movieId: 3, stars: 1, time: 1 }]);
  } finally {
    Object.defineProperty(globalThis, 'indexedDB', { value: real, configurable: true });
  }
});

test('the storage estimate answers, and one that stays pending gives null after the timeout, not a hang', async () => {
  const store = await openProfileStore(dbName());
  const real = await store.estimateUsage();
  expect(real?.quota).toBeGreaterThan(0);
  const storage = navigator.storage;
  Object.defineProperty(storage, 'estimate', { value: () => new Promise(() => {}), configurable: true });
  try {
    const t0 = performance.now();
    expect(await store.estimateUsage(100)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(2000);
  } finally {
    delete (storage as unknown as { estimate?: unknown }).estimate;
  }
  expect((await store.estimateUsage())?.quota).toBeGreaterThan(0);
  store.close();
});
