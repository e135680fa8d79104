/**
 * The bench's pacing proxy: one shared link. Asserts only lower bounds (a slow machine can make a transfer
 * later, never earlier), so it cannot fail for being slow.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type PacingProxy, startPacingProxy } from '../../bench/pacing-proxy.ts';
import { type RunningServer, startStaticServer } from '../../scripts/static-server.ts';

let dir: string;
let server: RunningServer;
let proxy: PacingProxy;
const SIZE = 100_000;
const link = { name: 'test', bitsPerSecond: 4e6, latencyMs: 60 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cinesage-pacing-'));
  // Random bytes with a non-compressible extension: what is sent is what is paced.
  const bytes = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 2654435761) >>> 24));
  await writeFile(join(dir, 'a.dat'), bytes);
  await writeFile(join(dir, 'b.dat'), bytes);
  server = await startStaticServer({ root: dir });
  proxy = await startPacingProxy(server.url, link);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const seconds = (bytes: number) => (bytes * 8) / link.bitsPerSecond;

test('a response arrives whole, no sooner than the latency plus its bytes at the link speed', async () => {
  const t0 = performance.now();
  const body = new Uint8Array(await (await fetch(`${proxy.url}a.dat`)).arrayBuffer());
  const elapsed = (performance.now() - t0) / 1000;
  expect(body.length).toBe(SIZE);
  expect(elapsed).toBeGreaterThanOrEqual(link.latencyMs / 1000 + seconds(SIZE) * 0.98);
  expect(proxy.bytes()).toBeGreaterThanOrEqual(SIZE);
  expect(proxy.requests()).toEqual(['/a.dat']);
});

test('two responses at once share the one link: together they take twice as long', async () => {
  const t0 = performance.now();
  const [a, b] = await Promise.all(['a.dat', 'b.dat'].map(async (f) => (await fetch(proxy.url + f)).arrayBuffer()));
  const elapsed = (performance.now() - t0) / 1000;
  expect(a.byteLength + b.byteLength).toBe(2 * SIZE);
  expect(elapsed).toBeGreaterThanOrEqual(link.latencyMs / 1000 + seconds(2 * SIZE) * 0.98);
});

test('the static server answers a single byte range (through the proxy too), and refuses an impossible one', async () => {
  const whole = new Uint8Array(await (await fetch(`${server.url}a.dat`)).arrayBuffer());
  const r = await fetch(`${proxy.url}a.dat`, { headers: { range: 'bytes=1000-1099' } });
  expect(r.status).toBe(206);
  expect(r.headers.get('content-range')).toBe(`bytes 1000-1099/${SIZE}`);
  expect(new Uint8Array(await r.arrayBuffer())).toEqual(whole.subarray(1000, 1100));
  const tail = await fetch(`${server.url}a.dat`, { headers: { range: `bytes=${SIZE - 10}-` } });
  expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.subarray(SIZE - 10));
  expect((await fetch(`${server.url}a.dat`, { headers: { range: `bytes=${SIZE}-${SIZE + 5}` } })).status).toBe(416);
});
