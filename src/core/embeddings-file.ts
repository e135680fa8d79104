/**
 * The shipped movie embeddings (`embeddings.<variant>.bin`, spec: docs/snapshot-format.md § Embeddings
 * file): the full forward's z_m of every movie, computed at build time by the TS forward with the weights
 * exactly as the browser reads them from that model variant, and bound by SHA-256 to the snapshot and the
 * model file they came from. A visitor's first personalised list then needs no runtime and no forward pass,
 * and the exact visitor update stays exact (same weights, same embeddings). Pure: no DOM or Node imports.
 */
import { ArtifactFormatError, ArtifactMismatchError } from './errors.ts';

/** `CSEMBED1` in ASCII. */
export const EMBEDDINGS_MAGIC = new Uint8Array([0x43, 0x53, 0x45, 0x4d, 0x42, 0x45, 0x44, 0x31]);
export const EMBEDDINGS_FORMAT_VERSION = 1;
export const EMBEDDINGS_HEADER_BYTES = 96;
/** Element type code of the embedding rows: 1 = float32 (little-endian). */
const DTYPE_F32 = 1;

export const embeddingsFile = (variant: string) => `embeddings.${variant}.bin`;

/** What an embeddings file says it is, and the rows. */
export interface ShippedEmbeddings {
  numMovies: number;
  dim: number;
  /** Lower-case hex SHA-256 of the snapshot file and of the model file the rows were computed from. */
  snapshotSha256: string;
  modelSha256: string;
  /** numMovies × dim. */
  movieEmb: Float32Array;
}

const hexToBytes = (hex: string): Uint8Array => {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError(`not a lower-case hex SHA-256: "${hex}"`);
  return Uint8Array.from({ length: 32 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
};
const bytesToHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export function writeEmbeddingsFile(e: ShippedEmbeddings): Uint8Array {
  if (e.movieEmb.length !== e.numMovies * e.dim) {
    throw new RangeError(`${e.movieEmb.length} values for ${e.numMovies} movies × ${e.dim}`);
  }
  const out = new Uint8Array(EMBEDDINGS_HEADER_BYTES + e.movieEmb.length * 4);
  const view = new DataView(out.buffer);
  out.set(EMBEDDINGS_MAGIC, 0);
  view.setUint32(8, EMBEDDINGS_FORMAT_VERSION, true);
  view.setUint32(12, e.numMovies, true);
  view.setUint32(16, e.dim, true);
  view.setUint32(20, DTYPE_F32, true);
  out.set(hexToBytes(e.snapshotSha256), 24);
  out.set(hexToBytes(e.modelSha256), 56);
  const rows = new DataView(out.buffer, EMBEDDINGS_HEADER_BYTES);
  for (let i = 0; i < e.movieEmb.length; i++) rows.setFloat32(i * 4, e.movieEmb[i], true);
  return out;
}

/**
 * Reads an embeddings file and checks it belongs to `expect` (the snapshot and model files the worker
 * loaded, its movie count and embedding width): `ArtifactFormatError` for a file that is not one,
 * `ArtifactMismatchError` for one computed from other artifacts.
 */
export function readEmbeddingsFile(
  bytes: Uint8Array,
  name: string,
  expect: { snapshotSha256: string; modelSha256: string; numMovies: number; dim: number },
): ShippedEmbeddings {
  if (bytes.length < EMBEDDINGS_HEADER_BYTES || EMBEDDINGS_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ArtifactFormatError(name, 'not a CineSage embeddings file (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== EMBEDDINGS_FORMAT_VERSION) {
    throw new ArtifactFormatError(
      name,
      `unsupported format version ${version} (expected ${EMBEDDINGS_FORMAT_VERSION})`,
    );
  }
  const numMovies = view.getUint32(12, true);
  const dim = view.getUint32(16, true);
  const dtype = view.getUint32(20, true);
  if (dtype !== DTYPE_F32) throw new ArtifactFormatError(name, `unknown element type ${dtype}`);
  if (bytes.length !== EMBEDDINGS_HEADER_BYTES + numMovies * dim * 4) {
    throw new ArtifactFormatError(name, `${bytes.length} bytes cannot hold ${numMovies} × ${dim} float32 rows`);
  }
  const snapshotSha256 = bytesToHex(bytes.subarray(24, 56));
  const modelSha256 = bytesToHex(bytes.subarray(56, 88));
  const mismatch = (what: string) => {
    throw new ArtifactMismatchError(name, `${what}; rebuild the artifacts (npm run artifacts)`);
  };
  if (snapshotSha256 !== expect.snapshotSha256) mismatch('was computed from another snapshot');
  if (modelSha256 !== expect.modelSha256) mismatch('was computed with another model file');
  if (numMovies !== expect.numMovies || dim !== expect.dim) {
    mismatch(`holds ${numMovies} × ${dim} embeddings, expected ${expect.numMovies} × ${expect.dim}`);
  }
  const movieEmb = new Float32Array(numMovies * dim);
  const rows = new DataView(bytes.buffer, bytes.byteOffset + EMBEDDINGS_HEADER_BYTES, numMovies * dim * 4);
  for (let i = 0; i < movieEmb.length; i++) movieEmb[i] = rows.getFloat32(i * 4, true);
  return { numMovies, dim, snapshotSha256, modelSha256, movieEmb };
}
