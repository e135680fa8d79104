import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, expect, test } from 'vitest';
import {
  downloadDataset,
  findDatasetDir,
  KNOWN_DATASETS,
  ML_LATEST_SMALL_SHA256,
  resolveDataset,
  verifyDatasetDir,
} from '../../pipeline/data/datasets.ts';
import { extractZip, verifySha256 } from '../../pipeline/data/download.ts';
import { unzip } from '../../pipeline/data/zip.ts';
import { ZipFormatError } from '../../src/core/errors.ts';

/** A minimal ZIP writer (what `zip` produces: local headers, central directory, end record). */
function makeZip(files: { name: string; data: Uint8Array; method: 0 | 8 }[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const body = f.method === 8 ? deflateRawSync(f.data) : Buffer.from(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(f.method, 8);
    local.writeUInt32LE(crc32(f.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(f.method, 10);
    entry.writeUInt32LE(crc32(f.data), 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(f.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, dir, end]));
}

const udata = new TextEncoder().encode('1\t2\t3\t4\n'.repeat(500));
const readme = new TextEncoder().encode('not the real README');
const zip = makeZip([
  { name: 'ml-100k/', data: new Uint8Array(0), method: 0 },
  { name: 'ml-100k/u.data', data: udata, method: 8 },
  { name: 'ml-100k/README', data: readme, method: 0 },
]);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('unzip reads stored and deflated entries and skips directories', () => {
  const entries = unzip(zip);
  expect(entries.map((e) => e.name)).toEqual(['ml-100k/u.data', 'ml-100k/README']);
  expect(entries[0].data).toEqual(udata);
  expect(entries[1].data).toEqual(readme);
});

test('a corrupted entry fails its CRC or inflate, a truncated archive has no directory', () => {
  const damaged = zip.slice();
  damaged[30 + 'ml-100k/'.length + 30 + 'ml-100k/u.data'.length + 5] ^= 0xff;
  expect(() => unzip(damaged)).toThrow();
  expect(() => unzip(zip.slice(0, zip.length - 30))).toThrow(ZipFormatError);
});

test('extractZip drops the top-level folder and writes every file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cinesage-zip-'));
  dirs.push(root);
  const dest = join(root, 'data', 'ml-100k');
  expect(await extractZip(zip, dest)).toEqual(['README', 'u.data']);
  expect((await readdir(dest)).sort()).toEqual(['README', 'u.data']);
  expect(new Uint8Array(await readFile(join(dest, 'u.data')))).toEqual(udata);
});

test('an entry escaping the destination is refused', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cinesage-zip-'));
  dirs.push(root);
  const evil = makeZip([{ name: '../evil.txt', data: readme, method: 0 }]);
  await expect(extractZip(evil, join(root, 'out'))).rejects.toThrow(/outside the destination/);
});

test('the checksum check accepts the pinned hash and rejects anything else', () => {
  const hex = createHash('sha256').update(zip).digest('hex');
  expect(() => verifySha256(zip, hex, 'ml-100k.zip')).not.toThrow();
  const other = zip.slice();
  other[0] ^= 1;
  expect(() => verifySha256(other, hex, 'ml-100k.zip')).toThrow(/ml-100k\.zip: SHA-256 .* differs from the pinned/);
});

const SHARED_LATEST = join('..', 'shared', 'datasets', 'ml-latest-small');
const latestFiles = ['ratings.csv', 'movies.csv', 'links.csv', 'tags.csv', 'README.txt'];

/** Serves `body` at every path of a loopback server for the duration of `run`. */
async function serving<T>(body: Uint8Array, run: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ml-latest-small.zip`);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
}

test('the pinned ml-latest-small sums match SHA256SUMS of the local copy, which verifies', () => {
  const sums = new Map(
    readFileSync(join(SHARED_LATEST, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).reverse() as [string, string]),
  );
  for (const [file, accepted] of Object.entries(ML_LATEST_SMALL_SHA256)) expect(accepted).toContain(sums.get(file));
  expect(verifyDatasetDir(KNOWN_DATASETS['ml-latest-small'], SHARED_LATEST)).toEqual([
    'ratings.csv',
    'movies.csv',
    'links.csv',
    'tags.csv',
  ]);
  expect(findDatasetDir('ml-latest-small', {})).toMatch(/ml-latest-small$/);
  expect(findDatasetDir('ml-latest-small', { MOVIELENS_DIR: SHARED_LATEST })).toMatch(/ml-latest-small$/);
});

test('a found copy that differs from the release is refused', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cinesage-latest-'));
  dirs.push(root);
  const copy = join(root, 'ml-latest-small');
  await extractZip(
    makeZip([
      {
        name: 'ml-latest-small/ratings.csv',
        data: new TextEncoder().encode('userId,movieId,rating,timestamp\n1,1,4.0,1\n'),
        method: 8,
      },
      { name: 'ml-latest-small/movies.csv', data: readFileSync(join(SHARED_LATEST, 'movies.csv')), method: 8 },
      { name: 'ml-latest-small/links.csv', data: readFileSync(join(SHARED_LATEST, 'links.csv')), method: 8 },
    ]),
    copy,
  );
  await expect(
    resolveDataset({ dataset: 'ml-latest-small', env: { MOVIELENS_DIR: copy }, log: () => {} }),
  ).rejects.toThrow(/ratings\.csv: SHA-256 .* is not the ml-latest-small release/);
});

test('ml-latest-small downloads from a (loopback) server, verified file by file before anything is written', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cinesage-download-'));
  dirs.push(root);
  const entries = latestFiles.map((f) => ({
    name: `ml-latest-small/${f}`,
    data: new Uint8Array(readFileSync(join(SHARED_LATEST, f))),
    method: 8 as const,
  }));
  const dest = join(root, 'data', 'ml-latest-small');
  const progress: number[] = [];
  await serving(makeZip(entries), (url) =>
    downloadDataset('ml-latest-small', dest, { url, onProgress: (got) => progress.push(got) }),
  );
  expect((await readdir(dest)).sort()).toEqual([...latestFiles].sort());
  expect(verifyDatasetDir(KNOWN_DATASETS['ml-latest-small'], dest)).toHaveLength(4);
  expect(progress.length).toBeGreaterThan(0);

  // The official byte form (CRLF) has its own pinned sums: a CRLF copy of movies.csv is not it, and is refused.
  const crlf = entries.map((e) =>
    e.name.endsWith('movies.csv')
      ? {
          ...e,
          data: new TextEncoder().encode(
            new TextDecoder().decode(e.data).replace(/\n/g, '\r\n').replace('Toy Story', 'Toy Story!'),
          ),
        }
      : e,
  );
  const dest2 = join(root, 'data2', 'ml-latest-small');
  await expect(serving(makeZip(crlf), (url) => downloadDataset('ml-latest-small', dest2, { url }))).rejects.toThrow(
    /movies\.csv: SHA-256/,
  );
  expect(existsSync(dest2)).toBe(false);
  // A missing required file, and a server error.
  const dest3 = join(root, 'data3', 'x');
  await expect(
    serving(makeZip(entries.slice(1)), (url) => downloadDataset('ml-latest-small', dest3, { url })),
  ).rejects.toThrow(/ratings\.csv is missing/);
  await expect(downloadDataset('ml-latest-small', dest3, { url: 'http://127.0.0.1:9/none.zip' })).rejects.toThrow();
  expect(existsSync(dest3)).toBe(false);
});
