/**
 * Loads the artifacts the worker runs on, each downloaded with progress and verified (size, SHA-256,
 * format) and checked to belong together (feature widths, movie count, the hashes an embeddings file was
 * computed from): the manifest, the catalog (a serving snapshot, or the full graph), then the model variant.
 * Returns parsed objects; never a half-loaded one.
 */
import type { ArtifactInfo, LoadProgress } from '../../src/core/api.ts';
import { ArtifactDownloadError, ArtifactFormatError, ArtifactMismatchError } from '../../src/core/errors.ts';
import { type Manifest, parseManifest } from '../../src/core/manifest.ts';
import type { ModelVariant } from '../../src/core/model/onnx-contract.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import type { ServingCatalog, ServingPersonal, ServingSnapshot, Snapshot } from '../../src/core/snapshot/format.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { readServingCatalog, readServingPersonal, readServingSnapshot } from '../../src/core/snapshot/read-serving.ts';
import { fetchArtifact } from './artifact-fetch.ts';

export interface ManifestFile extends ArtifactInfo {
  kind: string;
  /** For models and embeddings: which weight variant the file holds (or was computed with). */
  variant?: ModelVariant;
  /** For the snapshot: its rating count (what the backend policy weighs before downloading anything). */
  edges?: number;
  /** For a serving snapshot: the model file it was built with, and the most active users ("browse as"). */
  model?: string;
  sampleUsers?: number[];
  /** For a serving snapshot: the length and SHA-256 of its catalog prefix (the first list needs only that). */
  catalog?: { bytes: number; sha256: string };
  /** For a serving snapshot: the same for the prefix the first personal list needs (weights and codes). */
  personal?: { bytes: number; sha256: string };
}

/** The manifest's files, with each model's variant (from its metadata). */
export function manifestFiles(manifest: Manifest): ManifestFile[] {
  return manifest.artifacts.map((a) => {
    const v = a.metadata.variant;
    const variant = v === 'fp32' || v === 'int8' || v === 'fp16' ? v : undefined;
    const m = a.metadata;
    return {
      name: a.name,
      size: a.size,
      sha256: a.sha256,
      kind: a.kind,
      variant,
      edges: typeof m.edges === 'number' ? m.edges : undefined,
      model: typeof m.model === 'string' ? m.model : undefined,
      sampleUsers: Array.isArray(m.sampleUsers) ? m.sampleUsers.filter((u) => Number.isInteger(u)) : undefined,
      catalog: prefixOf(m.catalogBytes, m.catalogSha256),
      personal: prefixOf(m.personalBytes, m.personalSha256),
    };
  });
}

function prefixOf(bytes: unknown, sha256: unknown): { bytes: number; sha256: string } | undefined {
  return typeof bytes === 'number' && typeof sha256 === 'string' ? { bytes, sha256 } : undefined;
}

/** The manifest's files, and whether they came from the copy kept by the last visit. */
export interface ManifestRead {
  files: ManifestFile[];
  /** True when read from the kept copy (it may be older than the site: `isStaleArtifact` says when). */
  kept: boolean;
}

/**
 * The manifest. With a cache: the copy kept by the last visit, at once (a return visit waits for no network;
 * the copy is refreshed in the background, so a new build is picked up on the next visit, as the service
 * worker's shell is), else the network's, kept for next time. Without one: the network's.
 */
export async function fetchManifest(
  baseUrl: string,
  cache: Cache | null = null,
  fetchFn: typeof fetch = fetch,
): Promise<ManifestRead> {
  const kept = await cache?.match(new URL('manifest.json', baseUrl).href).catch(() => undefined);
  if (kept) {
    try {
      const files = manifestFiles(parseManifest(await kept.text()));
      void downloadManifest(baseUrl, cache, fetchFn).catch(() => undefined);
      return { files, kept: true };
    } catch {
      // A damaged copy: the network's replaces it.
    }
  }
  return { files: await downloadManifest(baseUrl, cache, fetchFn), kept: false };
}

/** The manifest from the network, kept in `cache` for the next visit. */
export async function downloadManifest(
  baseUrl: string,
  cache: Cache | null = null,
  fetchFn: typeof fetch = fetch,
): Promise<ManifestFile[]> {
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
  await cache?.put(url.href, response.clone()).catch(() => undefined);
  return manifestFiles(parseManifest(await response.text()));
}

/**
 * Whether a download failed the way a manifest older than the site makes it fail: the file is gone (404) or
 * is not the one the manifest describes (size or hash).
 */
export function isStaleArtifact(err: unknown): boolean {
  return err instanceof ArtifactMismatchError || (err instanceof ArtifactDownloadError && err.status === 404);
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

/** A promise with its settle functions (Promise.withResolvers, which workers of older browsers lack). */
function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The serving snapshot in three steps, each as soon as its verified prefix has arrived (or the whole file,
 * when the manifest has no prefix hash): the catalog (the first list), then the visitor model and the
 * scoring codes (the first personal list), then the whole snapshot — visitor cache and exact embeddings —
 * once all of it is in and verified.
 */
export function loadServing(
  info: ManifestFile,
  o: LoadOptions,
): {
  catalog: Promise<ServingCatalog>;
  personal: Promise<ServingPersonal>;
  full: Promise<ServingSnapshot>;
} {
  const catalog = deferred<ServingCatalog>();
  const personal = deferred<ServingPersonal>();
  let personalOpen = false;
  const open = (bytes: Uint8Array, step: 'catalog' | 'personal') => {
    try {
      if (step === 'catalog') catalog.resolve(readServingCatalog(bytes, info.name));
      else {
        const p = readServingPersonal(bytes, info.name);
        personalOpen = true;
        catalog.resolve(p.catalog);
        personal.resolve(p);
      }
    } catch (err) {
      catalog.reject(err);
      personal.reject(err);
    }
  };
  const prefixes = [
    ...(info.catalog ? [{ ...info.catalog, onReady: (b: Uint8Array) => open(b, 'catalog') }] : []),
    ...(info.personal ? [{ ...info.personal, onReady: (b: Uint8Array) => open(b, 'personal') }] : []),
  ];
  const full = fetchArtifact(o.baseUrl, info, {
    onProgress: downloadProgress(o.onProgress),
    cache: o.cache,
    prefixes,
  }).then((bytes) => {
    const serving = readServingSnapshot(bytes, info.name);
    // Without prefix hashes in the manifest, the first two steps open only now (else they are open already).
    if (!personalOpen) open(new Uint8Array(bytes), 'personal');
    return serving;
  });
  full.catch((err) => {
    catalog.reject(err);
    personal.reject(err);
  });
  personal.promise.catch(() => undefined);
  return { catalog: catalog.promise, personal: personal.promise, full };
}

/** What a model file must fit: the catalog's movie count and feature widths, and the file that has them. */
export interface ModelFit {
  file: string;
  numMovies: number;
  userFeatureDim: number;
  movieFeatureDim: number;
}

/** The model file and its weights, checked to belong to the snapshot (feature widths, movie count). */
export async function loadModel(
  info: ManifestFile,
  fit: ModelFit,
  o: LoadOptions,
): Promise<{ params: ModelParams; modelBytes: Uint8Array }> {
  const buffer = await fetchArtifact(o.baseUrl, info, { onProgress: downloadProgress(o.onProgress), cache: o.cache });
  const modelBytes = new Uint8Array(buffer);
  const params = readModelParams(modelBytes, info.name);
  if (
    params.userFeatureDim !== fit.userFeatureDim ||
    params.movieFeatureDim !== fit.movieFeatureDim ||
    params.numMovies !== fit.numMovies
  ) {
    throw new ArtifactMismatchError(
      info.name,
      `was trained for ${params.numMovies} movies with ${params.userFeatureDim}/${params.movieFeatureDim} feature columns, but ${fit.file} has ${fit.numMovies} movies with ${fit.userFeatureDim}/${fit.movieFeatureDim}`,
    );
  }
  return { params, modelBytes };
}
