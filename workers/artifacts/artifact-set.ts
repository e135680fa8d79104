/**
 * Loads the artifact set the worker runs on: the manifest, then the snapshot and the model variant that
 * suits the backend, each downloaded with progress and verified (size, SHA-256, format), and checked to
 * belong together (feature widths, movie count). Returns parsed objects; never a half-loaded set.
 */
import type { ArtifactInfo, LoadProgress } from '../../src/core/api.ts';
import { ArtifactDownloadError, ArtifactFormatError, ArtifactMismatchError } from '../../src/core/errors.ts';
import { type Manifest, parseManifest } from '../../src/core/manifest.ts';
import type { ModelVariant } from '../../src/core/model/onnx-contract.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import type { Snapshot } from '../../src/core/snapshot/format.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { fetchArtifact } from './artifact-fetch.ts';

export interface ManifestFile extends ArtifactInfo {
  kind: string;
  /** For models: which weight variant the file holds. */
  variant?: ModelVariant;
}

export interface ArtifactSet {
  snapshot: Snapshot;
  snapshotInfo: ManifestFile;
  params: ModelParams;
  modelBytes: Uint8Array;
  modelInfo: ManifestFile;
  variant: ModelVariant;
  /** Identifies this snapshot + model pair in caches. */
  key: string;
}

/** The manifest's files, with each model's variant (from its metadata). */
export function manifestFiles(manifest: Manifest): ManifestFile[] {
  return manifest.artifacts.map((a) => {
    const v = a.metadata.variant;
    const variant = v === 'fp32' || v === 'int8' || v === 'fp16' ? v : undefined;
    return { name: a.name, size: a.size, sha256: a.sha256, kind: a.kind, variant };
  });
}

export async function fetchManifest(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<ManifestFile[]> {
  const url = new URL('manifest.json', baseUrl);
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-cache' });
  } catch (err) {
    throw new ArtifactDownloadError('manifest.json', `the download failed (${(err as Error).message})`);
  }
  if (!response.ok) {
    throw new ArtifactDownloadError(
      'manifest.json',
      `the server answered ${response.status} for ${url.href}`,
      response.status,
    );
  }
  return manifestFiles(parseManifest(await response.text()));
}

/** The model file for `wanted`, falling back to fp32 (always built). */
export function pickModel(files: ManifestFile[], wanted: ModelVariant): ManifestFile {
  const models = files.filter((f) => f.kind === 'model');
  const found = models.find((f) => f.variant === wanted) ?? models.find((f) => f.variant === 'fp32') ?? models[0];
  if (!found) throw new ArtifactFormatError('manifest.json', 'lists no model file');
  return found;
}

export async function loadArtifactSet(options: {
  baseUrl: string;
  variant: ModelVariant;
  onProgress: (e: LoadProgress) => void;
  cache: Cache | null;
}): Promise<ArtifactSet> {
  const { baseUrl, onProgress, cache } = options;
  onProgress({ phase: 'setup', message: 'Reading the artifact manifest…' });
  const files = await fetchManifest(baseUrl);
  const snapshotInfo = files.find((f) => f.kind === 'snapshot');
  if (!snapshotInfo) throw new ArtifactFormatError('manifest.json', 'lists no snapshot file');
  const modelInfo = pickModel(files, options.variant);
  const progress = (p: { file: string; loaded: number; total: number; cached: boolean }) =>
    onProgress({
      phase: 'download',
      ...p,
      message: p.cached ? `${p.file}: loaded from this device` : `Downloading ${p.file}…`,
    });
  const [snapshotBytes, modelBuffer] = await Promise.all([
    fetchArtifact(baseUrl, snapshotInfo, { onProgress: progress, cache }),
    fetchArtifact(baseUrl, modelInfo, { onProgress: progress, cache }),
  ]);
  onProgress({ phase: 'setup', message: 'Opening the movie graph…' });
  const snapshot = readSnapshot(snapshotBytes, snapshotInfo.name);
  const modelBytes = new Uint8Array(modelBuffer);
  const params = readModelParams(modelBytes, modelInfo.name);
  const g = snapshot.graph;
  if (
    params.userFeatureDim !== g.userFeatureDim ||
    params.movieFeatureDim !== g.movieFeatureDim ||
    params.numMovies !== g.numMovies
  ) {
    throw new ArtifactMismatchError(
      modelInfo.name,
      `was trained for ${params.numMovies} movies with ${params.userFeatureDim}/${params.movieFeatureDim} feature columns, but ${snapshotInfo.name} has ${g.numMovies} movies with ${g.userFeatureDim}/${g.movieFeatureDim}`,
    );
  }
  const variant = modelInfo.variant ?? 'fp32';
  return {
    snapshot,
    snapshotInfo,
    params,
    modelBytes,
    modelInfo,
    variant,
    key: `${snapshotInfo.sha256}:${modelInfo.sha256}`,
  };
}
