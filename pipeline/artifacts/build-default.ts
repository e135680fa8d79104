/**
 * Builds the default artifacts (ML-100K snapshot, trained model variants, manifest) unless a complete set
 * is already there: the start command and the test setups call this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/core/manifest.ts';
import { buildArtifacts } from './build.ts';
import { ARTIFACTS_DIR, MANIFEST_FILE } from './paths.ts';

/** True when the manifest lists a snapshot and a model and every listed file exists with its size. */
export function artifactsComplete(dir = ARTIFACTS_DIR): boolean {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return false;
  try {
    const manifest = parseManifest(readFileSync(path, 'utf8'), path);
    const kinds = new Set(manifest.artifacts.map((a) => a.kind));
    if (!kinds.has('snapshot') || !kinds.has('model')) return false;
    return manifest.artifacts.every((a) => {
      try {
        return readFileSync(join(dir, a.name)).length === a.size;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export async function ensureDefaultArtifacts(dir = ARTIFACTS_DIR): Promise<void> {
  if (artifactsComplete(dir)) return;
  process.stderr.write('Building the artifacts (ML-100K snapshot and trained model); this happens once.\n');
  await buildArtifacts({ out: dir });
}
