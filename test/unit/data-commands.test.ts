import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildCommand, inspectCommand } from '../../pipeline/data/commands.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { parseManifest } from '../../src/core/manifest.ts';
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
    const snap = await inspectCommand([file], i.io);
    expect(snap.dataset.format).toBe(format);
    expect(i.out.stdout).toContain(`ratings ${snap.graph.numEdges}`);
    expect(i.out.stdout).toMatch(/users\s+\d+\s+\d+(\.\d+)?\s+[\d.]+\s+\d+/);
    expect(i.out.stdout).toContain(`content hash  ${snap.contentHash} (verified)`);
    expect(i.out.stdout).toMatch(/total \(file\)/);
    expect(manifest.artifacts[0].metadata.contentHash).toBe(snap.contentHash);
  },
);

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
