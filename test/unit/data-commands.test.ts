import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildServingSnapshot } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildCommand, inspectCommand } from '../../pipeline/data/commands.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { parseManifest } from '../../src/core/manifest.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ServingSnapshot, Snapshot } from '../../src/core/snapshot/format.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { SERVING_CATALOG_SECTIONS, SERVING_PERSONAL_SECTIONS } from '../../src/core/snapshot/read-serving.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { fixtureDir } from '../support/fixtures.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => {
      out.stdout += t;
    },
    stderr: (t: string) => {
      out.stderr += t;
    },
  };
  return { out, io };
}

test.each(['ml-1m', 'ml-latest'])(
  'build (%s fixture) writes a snapshot and manifest entry that inspect reads',
  async (format) => {
    const outDir = await mkdtemp(join(tmpdir(), 'cinesage-build-'));
    dirs.push(outDir);
    const b = capture();
    const { file } = await buildCommand(['--format', format, '--dir', fixtureDir(format), '--out', outDir], b.io);
    expect(b.out.stderr).toMatch(/loaded \d+ users, \d+ movies, \d+ ratings/);
    const manifest = parseManifest(await readFile(join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts[0]).toMatchObject({ name: 'snapshot.bin', kind: 'snapshot', formatVersion: 1 });

    const i = capture();
    const snap = (await inspectCommand([file], i.io)) as Snapshot;
    expect(snap.dataset.format).toBe(format);
    expect(i.out.stdout).toContain(`ratings ${snap.graph.numEdges}`);
    expect(i.out.stdout).toMatch(/users\s+\d+\s+\d+(\.\d+)?\s+[\d.]+\s+\d+/);
    expect(i.out.stdout).toContain(`content hash  ${snap.contentHash} (verified)`);
    expect(i.out.stdout).toMatch(/total \(file\)/);
    expect(manifest.artifacts[0].metadata.contentHash).toBe(snap.contentHash);
  },
);

test('inspect reads a serving snapshot: the model, what each section is needed for, each prefix size', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'cinesage-serving-'));
  dirs.push(outDir);
  const { file } = await buildCommand(
    ['--format', 'ml-latest', '--dir', fixtureDir('ml-latest'), '--out', outDir],
    capture().io,
  );
  const snapshot = readSnapshot(await readFile(file));
  const random = randomParams(rng(5), snapshot.graph, { ratingMessages: { center: 2.75, scale: 2.25 } });
  const params = { ...random, calibration: { ...random.calibration, neighbourWeight: 20 } };
  const bytes = buildServingSnapshot({
    snapshot,
    params,
    movieEmb: forward(snapshot.graph, params).movieEmb,
    modelSha256: 'ab'.repeat(32),
    embeddingDtype: 'f16',
  });
  const servingFile = join(outDir, 'serving.fp32.bin');
  await writeFile(servingFile, bytes);

  const i = capture();
  const s = (await inspectCommand([servingFile], i.io)) as ServingSnapshot;
  const out = i.out.stdout;
  expect(s.formatVersion).toBe(5);
  expect(out).toContain(`serving.fp32.bin: CineSage serving snapshot format v5, data set ${snapshot.dataset.name}`);
  expect(out).toContain(`content hash  ${s.contentHash} (verified)`);
  expect(out).toContain(`movies ${snapshot.graph.numMovies}   ratings ${snapshot.graph.numEdges}`);
  expect(out).toMatch(/embeddings \d+ × f16/);
  expect(out).toContain(`rater lists   ${snapshot.graph.numEdges} ratings`);
  // Every section is listed once, with the part of the visitor's path that waits for it.
  const part = (name: string) => out.match(new RegExp(`^${name.replace('.', '\\.')}\\s.*   (.+)$`, 'm'))?.[1];
  const expected = (name: string) =>
    (SERVING_CATALOG_SECTIONS as readonly string[]).includes(name)
      ? 'first list'
      : (SERVING_PERSONAL_SECTIONS as readonly string[]).includes(name)
        ? 'first personal list'
        : 'exact list';
  for (const x of s.sections) expect(part(x.name), x.name).toBe(expected(x.name));
  expect(part('visitor.raters')).toBe('first personal list');
  expect(part('movies.embedding')).toBe('exact list');
  // The prefixes grow: first list < first personal list < the whole file.
  const raw = (label: string) => {
    const m = out.match(new RegExp(`^${label.replace(/[()]/g, '\\$&')}\\s+([\\d.]+ [KM]?B)`, 'm'));
    expect(m, label).not.toBeNull();
    const [n, unit] = (m as RegExpMatchArray)[1].split(' ');
    return Number(n) * ({ B: 1, KB: 1e3, MB: 1e6 } as Record<string, number>)[unit];
  };
  const sizes = ['first list (prefix)', 'first personal list', 'total (file)'].map(raw);
  expect(sizes[0]).toBeLessThan(sizes[1]);
  expect(sizes[1]).toBeLessThan(sizes[2]);

  // A damaged serving snapshot fails the hash check with the file's name.
  const damaged = bytes.slice();
  damaged[damaged.length - 3] ^= 0xff;
  await writeFile(servingFile, damaged);
  await expect(inspectCommand([servingFile], capture().io)).rejects.toThrow(/^serving\.fp32\.bin: /);
});

test('inspect names the file when it is not a snapshot', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cinesage-inspect-'));
  dirs.push(dir);
  await writeFile(join(dir, 'page.bin'), '<!doctype html>');
  await expect(inspectCommand([join(dir, 'page.bin')], capture().io)).rejects.toThrow(ArtifactFormatError);
  await expect(inspectCommand([join(dir, 'page.bin')], capture().io)).rejects.toThrow(
    /^page\.bin: this looks like an HTML page/,
  );
});

test('build refuses an unknown format', async () => {
  await expect(buildCommand(['--format', 'ml-20m'], capture().io)).rejects.toThrow(/--format must be one of/);
});
