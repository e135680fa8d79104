import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { writeManifest } from '../../pipeline/artifacts/manifest.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { parseManifest } from '../../src/core/manifest.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('writeManifest measures each file and keeps other artifacts’ entries', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cinesage-manifest-'));
  dirs.push(dir);
  await writeFile(join(dir, 'snapshot.bin'), 'snapshot bytes');
  await writeFile(join(dir, 'model.onnx'), 'model bytes');
  await writeManifest(dir, [{ name: 'snapshot.bin', kind: 'snapshot', formatVersion: 1 }], { dataset: 'ml-100k' });
  const m = await writeManifest(
    dir,
    [{ name: 'model.onnx', kind: 'model', formatVersion: 3, metadata: { recall20: 0.3 } }],
    {
      trainedAt: 'now',
    },
  );
  expect(m.artifacts.map((a) => a.name)).toEqual(['model.onnx', 'snapshot.bin']);
  const snap = m.artifacts[1];
  expect(snap.size).toBe(14);
  expect(snap.sha256).toBe(createHash('sha256').update('snapshot bytes').digest('hex'));
  expect(m.artifacts[0].metadata).toEqual({ recall20: 0.3 });
  expect(m.metadata).toEqual({ dataset: 'ml-100k', trainedAt: 'now' });
  expect(parseManifest(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(m);
});

test.each([
  ['<!doctype html><p>404', /HTML page/],
  ['{"manifestVersion": 2}', /unsupported manifest version 2/],
  [
    '{"manifestVersion":1,"updatedAt":"x","artifacts":[{"name":"a","kind":"k","size":1,"sha256":"zz","formatVersion":1}]}',
    /valid sha256/,
  ],
  [
    '{"manifestVersion":1,"updatedAt":"x","artifacts":[{"name":"../a","kind":"k","size":1,"sha256":"' +
      'a'.repeat(64) +
      '","formatVersion":1}]}',
    /file name/,
  ],
  ['not json', /not valid JSON/],
])('parseManifest rejects %j', (text, message) => {
  let caught: unknown;
  try {
    parseManifest(text, 'manifest.json');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ArtifactFormatError);
  expect((caught as Error).message).toMatch(/^manifest\.json: /);
  expect((caught as Error).message).toMatch(message);
});
