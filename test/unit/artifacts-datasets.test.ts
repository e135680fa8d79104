/**
 * Artifact sets per data set: each build in its own folder, the served folder a copy of one of them, its
 * manifest naming the data set, and a switch that never loses the set it replaces. Fake (untrained) sets:
 * nothing here trains a model.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { MODEL_FORMAT_VERSION } from '../../pipeline/artifacts/build.ts';
import {
  artifactsComplete,
  artifactsDatasetKey,
  ensureArtifacts,
  ensureDatasetArtifacts,
} from '../../pipeline/artifacts/build-default.ts';
import { writeManifest } from '../../pipeline/artifacts/manifest.ts';
import { buildKey } from '../../pipeline/artifacts/paths.ts';
import { parseStartArgs } from '../../scripts/start.ts';
import { SERVING_FORMAT_VERSION, SNAPSHOT_FORMAT_VERSION } from '../../src/core/snapshot/format.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A complete-looking artifact set of data set `key` (legacy: only the snapshot entry names it). */
async function fakeSet(
  dir: string,
  key: string,
  opts: { legacy?: boolean; snapshotVersion?: number; noServing?: boolean } = {},
) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'snapshot.bin'), `snapshot of ${key}`);
  await writeFile(join(dir, 'model.fp32.onnx'), `model of ${key}`);
  await writeFile(join(dir, 'serving.fp32.bin'), `serving snapshot of ${key}`);
  const embeddings = {
    name: 'serving.fp32.bin',
    kind: 'serving',
    formatVersion: SERVING_FORMAT_VERSION,
    metadata: { variant: 'fp32' },
  };
  await writeManifest(
    dir,
    [
      {
        name: 'snapshot.bin',
        kind: 'snapshot',
        formatVersion: opts.snapshotVersion ?? SNAPSHOT_FORMAT_VERSION,
        metadata: { dataset: key },
      },
      { name: 'model.fp32.onnx', kind: 'model', formatVersion: MODEL_FORMAT_VERSION, metadata: { variant: 'fp32' } },
      ...(opts.noServing ? [] : [embeddings]),
    ],
    opts.legacy ? {} : { dataset: { key, name: key, format: 'ml-latest' } },
  );
}

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cinesage-artifacts-'));
  dirs.push(root);
  return root;
}

test('the manifest names the data set (older manifests: the snapshot entry); completeness checks it', async () => {
  const root = await tempRoot();
  await fakeSet(join(root, 'a'), 'ml-latest-small');
  await fakeSet(join(root, 'b'), 'ml-100k', { legacy: true });
  await fakeSet(join(root, 'c'), 'ml-100k', { snapshotVersion: SNAPSHOT_FORMAT_VERSION + 1 });
  await fakeSet(join(root, 'd'), 'ml-100k', { noServing: true });
  expect(artifactsDatasetKey(join(root, 'a'))).toBe('ml-latest-small');
  expect(artifactsDatasetKey(join(root, 'b'))).toBe('ml-100k');
  expect(artifactsDatasetKey(join(root, 'none'))).toBeNull();
  expect(artifactsComplete(join(root, 'a'))).toBe(true);
  expect(artifactsComplete(join(root, 'a'), 'ml-latest-small')).toBe(true);
  expect(artifactsComplete(join(root, 'a'), 'ml-100k')).toBe(false);
  expect(artifactsComplete(join(root, 'b'), 'ml-100k')).toBe(true);
  expect(artifactsComplete(join(root, 'c'), 'ml-100k')).toBe(false); // an older snapshot format: rebuild
  expect(artifactsComplete(join(root, 'd'), 'ml-100k')).toBe(false); // built before serving snapshots
  await writeFile(join(root, 'a', 'model.fp32.onnx'), 'truncated');
  expect(artifactsComplete(join(root, 'a'))).toBe(false);
  expect(buildKey('ml-100k')).toBe('ml-100k');
  expect(buildKey('ml-100k', 189)).toBe('ml-100k-without-189-users');
});

test('switching the served data set keeps the replaced set and rebuilds nothing that is built', async () => {
  const root = await tempRoot();
  const served = join(root, 'public', 'artifacts');
  const store = join(root, 'artifacts');
  await fakeSet(served, 'ml-100k', { legacy: true });
  await fakeSet(join(store, 'ml-latest-small'), 'ml-latest-small');
  const log: string[] = [];
  const opts = { served, store, log: (l: string) => log.push(l) };

  expect(await ensureArtifacts({ ...opts, dataset: 'ml-latest-small' })).toBe('ml-latest-small');
  expect(await readFile(join(served, 'snapshot.bin'), 'utf8')).toBe('snapshot of ml-latest-small');
  expect(artifactsComplete(join(store, 'ml-100k'), 'ml-100k')).toBe(true); // stashed, not lost
  expect(log.join('\n')).toMatch(/held ml-100k \(kept in .*ml-100k\); now serving ml-latest-small/);

  expect(await ensureArtifacts({ ...opts, dataset: 'ml-100k' })).toBe('ml-100k');
  expect(await readFile(join(served, 'snapshot.bin'), 'utf8')).toBe('snapshot of ml-100k');
  expect(await ensureArtifacts({ ...opts, dataset: 'ml-100k' })).toBe('ml-100k'); // already served: nothing to do
  expect(log.filter((l) => l.includes('now serving'))).toHaveLength(2);
  expect(log.some((l) => l.startsWith('Building'))).toBe(false);

  // The served set of a data set with no build of its own is copied, not retrained.
  await rm(join(store, 'ml-100k'), { recursive: true });
  expect(await ensureDatasetArtifacts({ ...opts, dataset: 'ml-100k' })).toEqual({
    key: 'ml-100k',
    dir: join(store, 'ml-100k'),
  });
  expect(await readFile(join(store, 'ml-100k', 'model.fp32.onnx'), 'utf8')).toBe('model of ml-100k');
  await expect(ensureArtifacts({ ...opts, dataset: 'ml-10m' })).rejects.toThrow(/--dataset must be one of/);
});

test('npm start takes --dataset or --data', () => {
  expect(parseStartArgs([])).toEqual({ dataset: undefined, data: undefined, help: false });
  expect(parseStartArgs(['--dataset', 'ml-latest-small']).dataset).toBe('ml-latest-small');
  expect(parseStartArgs(['--data', 'my/folder']).data).toBe('my/folder');
  expect(() => parseStartArgs(['--dataset', 'a', '--data', 'b'])).toThrow(/not both/);
  expect(() => parseStartArgs(['--port', '1'])).toThrow();
});
