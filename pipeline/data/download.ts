/**
 * Downloads MovieLens archives from GroupLens (ML-100K: checked against a pinned SHA-256; others: see
 * datasets.ts) and unpacks them
 * (via a temporary directory, so an interrupted run never leaves a half-written data set).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { DatasetParseError } from '../../src/core/errors.ts';
import { unzip } from './zip.ts';

export const ML100K_URL = 'https://files.grouplens.org/datasets/movielens/ml-100k.zip';
/** SHA-256 of the official ml-100k.zip (the 4.9 MB archive); pinned from the project brief, not re-derived offline. */
export const ML100K_SHA256 = '50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c3a3d90';

export type DownloadProgress = (receivedBytes: number, totalBytes: number | null) => void;

/** Throws unless `bytes` hash to `expectedHex`. */
export function verifySha256(bytes: Uint8Array, expectedHex: string, label: string): void {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expectedHex.toLowerCase()) {
    throw new DatasetParseError(`${label}: SHA-256 ${actual} differs from the pinned ${expectedHex}; not using it`);
  }
}

/**
 * Writes the archive's files into `destDir`, dropping the archive's single top-level folder
 * (`ml-100k/u.data` → `destDir/u.data`). Entries that would escape `destDir` are refused.
 */
export async function extractZip(zip: Uint8Array, destDir: string): Promise<string[]> {
  const entries = unzip(zip);
  for (const entry of entries) {
    if (entry.name.startsWith('/') || /^[A-Za-z]:/.test(entry.name) || entry.name.split(/[/\\]/).includes('..')) {
      throw new DatasetParseError(`archive entry "${entry.name}" points outside the destination`);
    }
  }
  const tops = new Set(entries.map((e) => e.name.split('/')[0]));
  const strip = tops.size === 1 && entries.every((e) => e.name.includes('/'));
  const tmp = `${destDir}.partial`;
  await rm(tmp, { recursive: true, force: true });
  const written: string[] = [];
  for (const entry of entries) {
    const rel = normalize(strip ? entry.name.slice(entry.name.indexOf('/') + 1) : entry.name);
    const path = join(tmp, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, entry.data);
    written.push(rel);
  }
  await rm(destDir, { recursive: true, force: true });
  await mkdir(dirname(destDir), { recursive: true });
  await rename(tmp, destDir);
  return written.sort();
}

/** The body of `url` (HTTP 200 only), with progress. */
export async function fetchBytes(url: string, onProgress: DownloadProgress = () => {}): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    throw new DatasetParseError(`${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    received += chunk.length;
    onProgress(received, total);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Downloads, verifies and unpacks ML-100K into `destDir` (e.g. `data/ml-100k`); returns `destDir`. */
export async function downloadMovieLens100k(
  destDir: string,
  onProgress: DownloadProgress = () => {},
  url = ML100K_URL,
): Promise<string> {
  if (existsSync(join(destDir, 'u.data'))) return destDir;
  const zip = await fetchBytes(url, onProgress);
  verifySha256(zip, ML100K_SHA256, 'ml-100k.zip');
  await extractZip(zip, destDir);
  return destDir;
}
