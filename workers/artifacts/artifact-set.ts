/**
 * Loads the artifacts the worker runs on, each downloaded with progress and verified (size, SHA-256,
 * format) and checked to belong together (feature widths, movie count, the hashes an embeddings file was
 * computed from): the manifest, the snapshot (all the first list needs), then the model variant and its
 * shipped movie embeddings. Returns parsed objects; never a half-loaded one.
 */
import type { ArtifactInfo, LoadProgress } from '../../src/core/api.ts';
import { readEmbeddingsFile } from '../../src/core/embeddings-file.ts';
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
  /** For models and embeddings: which weight variant the file holds (or was computed with). */
  variant?: ModelVariant;
  /** For the snapshot: its rating count (what the backend policy weighs before downloading anything). */
  edges?: number;
}

/** The manifest's files, with each model's variant (from its metadata). */
export function manifestFiles(manifest: Manifest): ManifestFile[] {
  return manifest.artifacts.map((a) => {
    const v = a.metadata.variant;
    const variant = v === 'fp32' || v === 'int8' || v === 'fp16' ? v : undefined;
    const edges = typeof a.metadata.edges === 'number' ? a.metadata.edges : undefined;
    return { name: a.name, size: a.size, sha256: a.sha256, kind: a.kind, variant, edges };
  });
}

/**
 * The manifest from the network; offline (the request fails outright), the copy kept in `cache` by the last
 * visit, so a first visit made before the service worker took over still works offline afterwards.
 */
export async function fetchManifest(
  baseUrl: string,
  cache: Cache | null = null,
  fetchFn: typeof fetch = fetch,
): Promise<ManifestFile[]> {
  const url = new URL('manifest.json', baseUrl);
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-cache' });
    if (response.ok) await cache?.put(url.href, response.clone()).catch(() => undefined);
  } catch (err) {
    const kept = await cache?.match(url.href).catch(() => undefined);
    if (!kept) throw new ArtifactDownloadError('manifest.json', `the download failed (${(err as Error).message})`);
    response = kept;
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

/** Reports a download's progress as the page shows it. */
export function downloadProgress(onProgress: (e: LoadProgress) => void) {
  return (p: { file: string; loaded: number; total: number; cached: boolean }) =>
    onProgress({
      phase: 'download',
      ...p,
      message: p.cached ? `${p.file}: loaded from this device` : `Downloading ${p.file}…`,
    });
}

export interface LoadOptions {
  baseUrl: string;
  onProgress: (e: LoadProgress) => void;
  cache: Cache | null;
}

/** The snapshot: downloaded, verified and parsed. */
export async function loadSnapshot(info: ManifestFile, o: LoadOptions): Promise<Snapshot> {
  const bytes = await fetchArtifact(o.baseUrl, info, { onProgress: downloadProgress(o.onProgress), cache: o.cache });
  o.onProgress({ phase: 'setup', message: 'Opening the movie catalog…' });
  return readSnapshot(bytes, info.name);
}

/** The model file and its weights, checked to belong to `snapshot` (feature widths, movie count). */
export async function loadModel(
  info: ManifestFile,
  snapshot: { info: ManifestFile; value: Snapshot },
  o: LoadOptions,
): Promise<{ params: ModelParams; modelBytes: Uint8Array }> {
  const buffer = await fetchArtifact(o.baseUrl, info, { onProgress: downloadProgress(o.onProgress), cache: o.cache });
  const modelBytes = new Uint8Array(buffer);
  const params = readModelParams(modelBytes, info.name);
  const g = snapshot.value.graph;
  if (
    params.userFeatureDim !== g.userFeatureDim ||
    params.movieFeatureDim !== g.movieFeatureDim ||
    params.numMovies !== g.numMovies
  ) {
    throw new ArtifactMismatchError(
      info.name,
      `was trained for ${params.numMovies} movies with ${params.userFeatureDim}/${params.movieFeatureDim} feature columns, but ${snapshot.info.name} has ${g.numMovies} movies with ${g.userFeatureDim}/${g.movieFeatureDim}`,
    );
  }
  return { params, modelBytes };
}

/** The shipped movie embeddings of `model` over `snapshot`: downloaded, verified and checked to be theirs. */
export async function loadShippedEmbeddings(
  info: ManifestFile,
  bound: { snapshot: ManifestFile; model: ManifestFile; numMovies: number; dim: number },
  o: LoadOptions,
): Promise<Float32Array> {
  const buffer = await fetchArtifact(o.baseUrl, info, { onProgress: downloadProgress(o.onProgress), cache: o.cache });
  return readEmbeddingsFile(new Uint8Array(buffer), info.name, {
    snapshotSha256: bound.snapshot.sha256,
    modelSha256: bound.model.sha256,
    numMovies: bound.numMovies,
    dim: bound.dim,
  }).movieEmb;
}
