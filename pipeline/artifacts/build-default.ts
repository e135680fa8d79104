/**
 * Builds the default artifacts (ML-100K snapshot and trained model) when they are missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, MANIFEST_FILE } from './paths.ts';

export async function ensureDefaultArtifacts(): Promise<void> {
  if (existsSync(join(ARTIFACTS_DIR, MANIFEST_FILE))) return;
  throw new Error(
    'The snapshot and the trained model cannot be built yet: the data pipeline and the trainer are not in this version.',
  );
}
