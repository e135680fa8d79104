/**
 * `manifest.json`: the list of built artifacts with their sizes, SHA-256 hashes, kinds and format
 * versions, plus free-form metadata (training metrics, build facts). The site checks every download
 * against it. Pure: no DOM or Node imports.
 */
import { ArtifactFormatError } from './errors.ts';

export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  /** File name relative to the manifest's directory, e.g. `snapshot.bin`. */
  name: string;
  /** What the file is, e.g. `snapshot`, `model`, `model-int8`. */
  kind: string;
  size: number;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
  /** The file's own schema/format version (e.g. SNAPSHOT_FORMAT_VERSION). */
  formatVersion: number;
  metadata: Record<string, unknown>;
}

export interface Manifest {
  manifestVersion: number;
  /** ISO time of the last write. */
  updatedAt: string;
  artifacts: ManifestEntry[];
  metadata: Record<string, unknown>;
}

/** Validates parsed (or raw text) manifest JSON; `ArtifactFormatError` naming `file` on a bad shape. */
export function parseManifest(json: unknown, file = 'manifest.json'): Manifest {
  const fail = (problem: string): never => {
    throw new ArtifactFormatError(file, problem);
  };
  let value = json;
  if (typeof json === 'string') {
    if (json.trimStart().startsWith('<')) fail('this looks like an HTML page, not the manifest');
    try {
      value = JSON.parse(json);
    } catch {
      fail('not valid JSON');
    }
  }
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(value)) return fail('not a JSON object');
  if (value.manifestVersion !== MANIFEST_VERSION) {
    fail(`unsupported manifest version ${String(value.manifestVersion)} (expected ${MANIFEST_VERSION})`);
  }
  if (typeof value.updatedAt !== 'string') fail('updatedAt is missing');
  if (!Array.isArray(value.artifacts)) fail('artifacts is not a list');
  const metadata = value.metadata === undefined ? {} : value.metadata;
  if (!isRecord(metadata)) fail('metadata is not an object');
  const names = new Set<string>();
  const artifacts = (value.artifacts as unknown[]).map((a, i): ManifestEntry => {
    if (!isRecord(a)) return fail(`artifact ${i} is not an object`);
    const where = `artifact ${i} (${String(a.name)})`;
    if (typeof a.name !== 'string' || a.name === '' || a.name.includes('..') || a.name.startsWith('/')) {
      fail(`artifact ${i} has no valid relative file name`);
    }
    if (names.has(a.name as string)) fail(`${where} is listed twice`);
    names.add(a.name as string);
    if (typeof a.kind !== 'string' || a.kind === '') fail(`${where} has no kind`);
    if (!Number.isSafeInteger(a.size) || (a.size as number) < 0) fail(`${where} has no valid size`);
    if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256)) fail(`${where} has no valid sha256`);
    if (!Number.isSafeInteger(a.formatVersion) || (a.formatVersion as number) < 1) {
      fail(`${where} has no valid formatVersion`);
    }
    const meta = a.metadata === undefined ? {} : a.metadata;
    if (!isRecord(meta)) fail(`${where} metadata is not an object`);
    return {
      name: a.name as string,
      kind: a.kind as string,
      size: a.size as number,
      sha256: a.sha256 as string,
      formatVersion: a.formatVersion as number,
      metadata: meta as Record<string, unknown>,
    };
  });
  return {
    manifestVersion: MANIFEST_VERSION,
    updatedAt: value.updatedAt as string,
    artifacts,
    metadata: metadata as Record<string, unknown>,
  };
}
