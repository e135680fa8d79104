/**
 * Writes `manifest.json` next to the artifacts: size and SHA-256 measured from each file on disk. Entries
 * already in the manifest for other files are kept (the data build and the trainer each add their own),
 * so call it after writing any artifact.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_VERSION, type Manifest, type ManifestEntry, parseManifest } from '../../src/core/manifest.ts';
import { SNAPSHOT_FORMAT_VERSION } from '../../src/core/snapshot/format.ts';
import { MANIFEST_FILE, SNAPSHOT_FILE } from './paths.ts';

export interface ArtifactFile {
  /** File name inside `dir`. */
  name: string;
  kind: string;
  formatVersion: number;
  metadata?: Record<string, unknown>;
}

/**
 * Adds or replaces the entries for `files` (measured now) and merges `metadata` into the manifest's
 * top-level metadata. A missing or unreadable manifest starts fresh; entries whose file is gone are dropped.
 */
export async function writeManifest(
  dir: string,
  files: ArtifactFile[],
  metadata: Record<string, unknown> = {},
): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  let previous: Manifest | null = null;
  if (existsSync(path)) {
    try {
      previous = parseManifest(await readFile(path, 'utf8'), path);
    } catch {
      previous = null;
    }
  }
  const updated = new Set(files.map((f) => f.name));
  const kept = (previous?.artifacts ?? []).filter((a) => !updated.has(a.name) && existsSync(join(dir, a.name)));
  const measured: ManifestEntry[] = [];
  for (const f of files) {
    const bytes = await readFile(join(dir, f.name));
    measured.push({
      name: f.name,
      kind: f.kind,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      formatVersion: f.formatVersion,
      metadata: f.metadata ?? {},
    });
  }
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    updatedAt: new Date().toISOString(),
    artifacts: [...kept, ...measured].sort((a, b) => a.name.localeCompare(b.name)),
    metadata: { ...(previous?.metadata ?? {}), ...metadata },
  };
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path);
  return manifest;
}

/** The manifest entry of a snapshot built from `graph` of `dataset`. */
export function snapshotArtifact(
  dataset: { name: string; format: string },
  graph: { numUsers: number; numMovies: number; numEdges: number },
  contentHash: string,
): ArtifactFile {
  return {
    name: SNAPSHOT_FILE,
    kind: 'snapshot',
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    metadata: {
      dataset: dataset.name,
      format: dataset.format,
      users: graph.numUsers,
      movies: graph.numMovies,
      edges: graph.numEdges,
      contentHash,
    },
  };
}
