/** Where the pipeline writes the artifacts the site serves (gitignored: they re-encode MovieLens ratings). */
import { join } from 'node:path';

export const ARTIFACTS_DIR = join('public', 'artifacts');
export const SNAPSHOT_FILE = 'snapshot.bin';
export const MANIFEST_FILE = 'manifest.json';
