/**
 * Artifact sets per data set, and the one the site serves.
 *
 * Every data set's build lives in `artifacts/<key>/` (key: `ml-100k`, `ml-latest-small`, or the folder name
 * of `--data DIR`); `public/artifacts/` is the set the site serves, a copy of one of them, and its manifest
 * says which (`metadata.dataset.key`; older manifests: the snapshot entry's data set name). Switching data
 * sets never overwrites a build silently: the served set is stashed into its own `artifacts/<key>/` first
 * when that has no complete copy, and every switch is logged. `npm start`, the test setups, the bench and the
 * widget demo call this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseManifest } from '../../src/core/manifest.ts';
import { SERVING_FORMAT_VERSION, SNAPSHOT_FORMAT_VERSION } from '../../src/core/snapshot/format.ts';
import { DEFAULT_DATASET, knownDataset, resolveDataset } from '../data/datasets.ts';
import { buildArtifacts, MODEL_FORMAT_VERSION } from './build.ts';
import { ARTIFACTS_DIR, artifactsDirFor, MANIFEST_FILE } from './paths.ts';

/** The data set key a manifest's directory was built from, or null (no readable manifest). */
export function artifactsDatasetKey(dir: string): string | null {
  try {
    const manifest = parseManifest(readFileSync(join(dir, MANIFEST_FILE), 'utf8'), MANIFEST_FILE);
    const meta = manifest.metadata.dataset as { key?: unknown } | undefined;
    if (meta && typeof meta.key === 'string') return meta.key;
    const snapshot = manifest.artifacts.find((a) => a.kind === 'snapshot');
    const name = snapshot?.metadata.dataset;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/**
 * True when the manifest lists a snapshot and a model of the current format versions, every listed file
 * exists with its size, and (when `key` is given) the set was built from that data set.
 */
export function artifactsComplete(dir = ARTIFACTS_DIR, key?: string): boolean {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return false;
  try {
    const manifest = parseManifest(readFileSync(path, 'utf8'), path);
    const snapshot = manifest.artifacts.find((a) => a.kind === 'snapshot');
    const model = manifest.artifacts.find((a) => a.kind === 'model');
    // Sets built before serving snapshots existed are rebuilt (the site would compute embeddings instead).
    const serving = manifest.artifacts.find((a) => a.kind === 'serving');
    if (!snapshot || !model || !serving) return false;
    if (
      snapshot.formatVersion !== SNAPSHOT_FORMAT_VERSION ||
      model.formatVersion !== MODEL_FORMAT_VERSION ||
      serving.formatVersion !== SERVING_FORMAT_VERSION
    )
      return false;
    if (key !== undefined && artifactsDatasetKey(dir) !== key) return false;
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

export interface EnsureArtifactsOptions {
  /** A named data set (default ml-100k unless `data` is given). */
  dataset?: string;
  /** A folder of MovieLens files. */
  data?: string;
  /** Where the served set goes (default public/artifacts). */
  served?: string;
  /** Root of the per-data-set builds (default artifacts/). */
  store?: string;
  log?: (line: string) => void;
}

/** Copies `from` over `to` (via a temporary sibling, so `to` is never half-written). */
async function replaceDir(from: string, to: string): Promise<void> {
  const tmp = `${to}.partial`;
  await rm(tmp, { recursive: true, force: true });
  await cp(from, tmp, { recursive: true });
  await rm(to, { recursive: true, force: true });
  await rename(tmp, to);
}

/**
 * Builds the data set's artifacts into `artifacts/<key>/` unless a complete set is there; returns that folder
 * (not served: `ensureArtifacts` also makes it the site's). A complete served set of the same data set is
 * reused (copied) instead of retraining.
 */
export async function ensureDatasetArtifacts(opts: EnsureArtifactsOptions = {}): Promise<{ key: string; dir: string }> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const served = opts.served ?? ARTIFACTS_DIR;
  // A named data set's key is its name: no need to look for the files when its build exists.
  const named = opts.data === undefined ? (opts.dataset ?? DEFAULT_DATASET) : undefined;
  if (named !== undefined) knownDataset(named); // an unknown name fails here, with the list of names
  const source = named === undefined ? await resolveDataset({ data: opts.data, log }) : null;
  const key = named ?? (source as { key: string }).key;
  const dir = artifactsDirFor(key, opts.store);
  if (artifactsComplete(dir, key)) return { key, dir };
  if (artifactsComplete(served, key)) {
    log(`keeping a copy of the served ${key} artifacts in ${relative('.', dir)}`);
    await replaceDir(served, dir);
    return { key, dir };
  }
  log(`Building the artifacts for ${key} (snapshot and trained model) in ${relative('.', dir)}; this happens once.`);
  await buildArtifacts({ dataset: named, data: opts.data, out: dir, log });
  return { key, dir };
}

/**
 * Makes `public/artifacts/` hold the data set's artifacts, building them first if needed. When it holds
 * another data set's, that set is kept in its own `artifacts/<key>/` (if not already there) and the switch
 * is logged. Returns the data set key.
 */
export async function ensureArtifacts(opts: EnsureArtifactsOptions = {}): Promise<string> {
  const served = opts.served ?? ARTIFACTS_DIR;
  const wanted = opts.data === undefined ? (opts.dataset ?? DEFAULT_DATASET) : undefined;
  if (wanted !== undefined && artifactsComplete(served, wanted)) return wanted;
  const { key, dir } = await ensureDatasetArtifacts(opts);
  await serveArtifacts(key, dir, opts);
  return key;
}

/**
 * Copies the build `dir` of data set `key` into the served folder, first keeping the served set of another
 * data set in its own `artifacts/<key>/` when that has no complete copy.
 */
export async function serveArtifacts(
  key: string,
  dir: string,
  opts: Pick<EnsureArtifactsOptions, 'served' | 'store' | 'log'> = {},
): Promise<void> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const served = opts.served ?? ARTIFACTS_DIR;
  const current = artifactsComplete(served) ? artifactsDatasetKey(served) : null;
  if (current !== null && current !== key) {
    const stash = artifactsDirFor(current, opts.store);
    if (!artifactsComplete(stash, current)) await replaceDir(served, stash);
    log(`${relative('.', served)} held ${current} (kept in ${relative('.', stash)}); now serving ${key}`);
  }
  await replaceDir(dir, served);
}

/** The site's default artifacts (ML-100K) in `public/artifacts/`: the test setups, the bench and the demo. */
export async function ensureDefaultArtifacts(dir = ARTIFACTS_DIR): Promise<void> {
  await ensureArtifacts({ dataset: DEFAULT_DATASET, served: dir });
}
