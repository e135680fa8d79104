/**
 * Where the pipeline writes artifacts (gitignored: they re-encode MovieLens ratings): each data set's build
 * in `artifacts/<key>/`, and the set the site serves (a copy of one of them) in `public/artifacts/`.
 */
import { join } from 'node:path';

export const ARTIFACTS_DIR = join('public', 'artifacts');
export const SNAPSHOT_FILE = 'snapshot.bin';
export const MANIFEST_FILE = 'manifest.json';
/** Root of the per-data-set builds. */
export const DATASET_ARTIFACTS_ROOT = 'artifacts';

/** The build folder of data set `key`. */
export function artifactsDirFor(key: string, root = DATASET_ARTIFACTS_ROOT): string {
  return join(root, key);
}

/** The key of a build: the data set's, marked when users were held out of training (never served as the data set's). */
export function buildKey(datasetKey: string, excludedUsers?: number): string {
  return excludedUsers ? `${datasetKey}-without-${excludedUsers}-users` : datasetKey;
}
