import { expect, test } from 'vitest';
import { ArtifactDownloadError, ArtifactFormatError, ArtifactMismatchError } from '../../src/core/errors.ts';
import { fetchArtifact, fetchArtifactRange, sha256Hex } from '../../workers/artifacts/artifact-fetch.ts';
import { fetchManifest } from '../../workers/artifacts/artifact-set.ts';

const payload = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 255);

function serve(body: BodyInit | null, init: ResponseInit = {}): typeof fetch {
  return async () => new Response(body, init);
}

async function ref(bytes = payload) {
  return { name: 'snapshot.bin', size: bytes.length, sha256: await sha256Hex(bytes) };
}

test('a good file arrives whole, with progress up to its size', async () => {
  const seen: number[] = [];
  const buf = await fetchArtifact('https://example.test/a/', await ref(), {
    fetchFn: serve(new Blob([payload]).stream()),
    onProgress: (p) => seen.push(p.loaded),
  });
  expect(new Uint8Array(buf)).toEqual(payload);
  expect(seen.at(-1)).toBe(payload.length);
});

test('an HTML page served instead of the file is named as such', async () => {
  const html = new TextEncoder().encode('<!doctype html><title>404</title>');
  const err = await fetchArtifact('https://example.test/', await ref(), {
    fetchFn: serve(html, { headers: { 'content-type': 'text/html' } }),
  }).catch((e) => e);
  expect(err).toBeInstanceOf(ArtifactFormatError);
  expect(err.message).toMatch(/^snapshot\.bin: the server sent an HTML page/);
});

test('truncated, oversized and corrupted downloads are refused', async () => {
  const r = await ref();
  await expect(fetchArtifact('https://example.test/', r, { fetchFn: serve(payload.slice(0, 1000)) })).rejects.toThrow(
    /truncated: received 1000 of 300000 bytes/,
  );
  const bigger = new Uint8Array(payload.length + 1);
  await expect(fetchArtifact('https://example.test/', r, { fetchFn: serve(bigger) })).rejects.toBeInstanceOf(
    ArtifactMismatchError,
  );
  const flipped = payload.slice();
  flipped[12345] ^= 1;
  await expect(fetchArtifact('https://example.test/', r, { fetchFn: serve(flipped) })).rejects.toThrow(/content hash/);
});

test('HTTP errors and network failures are download errors naming the file', async () => {
  const r = await ref();
  await expect(
    fetchArtifact('https://example.test/', r, { fetchFn: serve('nope', { status: 404, statusText: 'Not Found' }) }),
  ).rejects.toThrow(ArtifactDownloadError);
  const offline: typeof fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  await expect(fetchArtifact('https://example.test/', r, { fetchFn: offline })).rejects.toThrow(
    /snapshot\.bin: the download failed/,
  );
});

test('with a cache, the second fetch needs no network', async () => {
  const cache = await caches.open(`cinesage-test-${Math.random()}`);
  const r = await ref();
  await fetchArtifact('https://example.test/', r, { cache, fetchFn: serve(payload) });
  const offline: typeof fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  const progress: boolean[] = [];
  const again = await fetchArtifact('https://example.test/', r, {
    cache,
    fetchFn: offline,
    onProgress: (p) => progress.push(p.cached),
  });
  expect(new Uint8Array(again)).toEqual(payload);
  expect(progress).toEqual([true]);
});

test('the manifest: the kept copy at once (refreshed in the background), the network when none or damaged', async () => {
  const manifest = (sha: string) =>
    JSON.stringify({
      manifestVersion: 1,
      updatedAt: '2026-11-29T00:00:00.000Z',
      artifacts: [{ name: 'snapshot.bin', kind: 'snapshot', size: 1, sha256: sha, formatVersion: 1, metadata: {} }],
      metadata: {},
    });
  const name = `cinesage-test-manifest-${Date.now()}`;
  const cache = await caches.open(name);
  const base = 'https://example.test/artifacts/';
  let calls = 0;
  const network: typeof fetch = async () => {
    calls++;
    return new Response(manifest('b'.repeat(64)));
  };
  // Nothing kept: the network's, kept for next time.
  const first = await fetchManifest(base, cache, network);
  expect(first.files[0].sha256).toBe('b'.repeat(64));
  expect(first.kept).toBe(false);
  await cache.put(`${base}manifest.json`, new Response(manifest('a'.repeat(64))));
  // Kept: at once, while the network refreshes the copy for the next visit.
  const second = await fetchManifest(base, cache, network);
  expect(second.files[0].sha256).toBe('a'.repeat(64));
  expect(second.kept).toBe(true);
  await expect
    .poll(
      async () =>
        JSON.parse(await ((await cache.match(`${base}manifest.json`)) as Response).text()).artifacts[0].sha256,
    )
    .toBe('b'.repeat(64));
  expect(calls).toBe(2);
  // A damaged copy is replaced by the network's; offline with nothing usable is a typed error.
  await cache.put(`${base}manifest.json`, new Response('<!doctype html>'));
  expect((await fetchManifest(base, cache, network)).files[0].sha256).toBe('b'.repeat(64));
  const offline: typeof fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  await expect(fetchManifest(base, null, offline)).rejects.toBeInstanceOf(ArtifactDownloadError);
  await caches.delete(name);
});

test('verified prefixes are handed over, in order, while the rest still downloads; a wrong one is refused', async () => {
  const prefix = { bytes: 100_000, sha256: await sha256Hex(payload.subarray(0, 100_000)) };
  const short = { bytes: 10_000, sha256: await sha256Hex(payload.subarray(0, 10_000)) };
  // Three chunks: the prefix is complete after the second.
  const chunked: typeof fetch = async () =>
    new Response(
      new ReadableStream({
        start(c) {
          for (const [a, b] of [
            [0, 60_000],
            [60_000, 120_000],
            [120_000, payload.length],
          ])
            c.enqueue(payload.slice(a, b));
          c.close();
        },
      }),
    );
  const seen: { loadedAtHandover: number; head: Uint8Array }[] = [];
  let loaded = 0;
  const buf = await fetchArtifact('https://example.test/a/', await ref(), {
    fetchFn: chunked,
    onProgress: (p) => {
      loaded = p.loaded;
    },
    prefixes: [
      { ...short, onReady: (bytes) => seen.push({ loadedAtHandover: loaded, head: bytes.slice(0, 10_000) }) },
      { ...prefix, onReady: (bytes) => seen.push({ loadedAtHandover: loaded, head: bytes.slice(0, 100_000) }) },
    ],
  });
  expect(seen).toHaveLength(2);
  expect(seen[0].loadedAtHandover).toBe(60_000);
  expect(seen[0].head).toEqual(payload.subarray(0, 10_000));
  expect(seen[1].loadedAtHandover).toBe(120_000);
  expect(seen[1].head).toEqual(payload.subarray(0, 100_000));
  expect(new Uint8Array(buf)).toEqual(payload);
  const wrong = fetchArtifact('https://example.test/a/', await ref(), {
    fetchFn: chunked,
    prefixes: [{ bytes: 100_000, sha256: 'f'.repeat(64), onReady: () => undefined }],
  });
  await expect(wrong).rejects.toThrow(/first 100000 bytes hash to/);
});

test('a range of the file by HTTP range request; null when the server sends the whole file instead', async () => {
  const ranged: typeof fetch = async (_url, init) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init?.headers).get('range') ?? '');
    if (!m) return new Response(payload);
    return new Response(payload.slice(Number(m[1]), Number(m[2]) + 1), { status: 206 });
  };
  const r = await ref();
  expect(await fetchArtifactRange('https://example.test/a/', r, 1000, 1234, ranged)).toEqual(
    payload.subarray(1000, 1234),
  );
  const whole: typeof fetch = async () => new Response(payload);
  expect(await fetchArtifactRange('https://example.test/a/', r, 1000, 1234, whole)).toBeNull();
  const short: typeof fetch = async () => new Response(payload.slice(0, 5), { status: 206 });
  await expect(fetchArtifactRange('https://example.test/a/', r, 1000, 1234, short)).rejects.toThrow(/returned 5 bytes/);
  const missing: typeof fetch = async () => new Response('no', { status: 404 });
  await expect(fetchArtifactRange('https://example.test/a/', r, 0, 10, missing)).rejects.toBeInstanceOf(
    ArtifactDownloadError,
  );
});
