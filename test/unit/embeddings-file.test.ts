/** The shipped-embeddings file: a round trip, and a typed refusal of anything not built for these artifacts. */
import { expect, test } from 'vitest';
import { readEmbeddingsFile, writeEmbeddingsFile } from '../../src/core/embeddings-file.ts';
import { ArtifactFormatError, ArtifactMismatchError } from '../../src/core/errors.ts';

const SNAP = 'a'.repeat(64);
const MODEL = '0123456789abcdef'.repeat(4);
const movieEmb = Float32Array.from({ length: 3 * 4 }, (_, i) => Math.fround(Math.sin(i) * 1e-3 + i));
const expectFor = { snapshotSha256: SNAP, modelSha256: MODEL, numMovies: 3, dim: 4 };

test('round-trips every float bit for bit, with the hashes it is bound to', () => {
  const bytes = writeEmbeddingsFile({ numMovies: 3, dim: 4, snapshotSha256: SNAP, modelSha256: MODEL, movieEmb });
  expect(bytes.length).toBe(96 + 48);
  const back = readEmbeddingsFile(bytes, 'embeddings.fp32.bin', expectFor);
  expect(back.movieEmb).toEqual(movieEmb);
  expect(back.modelSha256).toBe(MODEL);
  // A view into a larger buffer at an odd offset reads the same.
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  expect(readEmbeddingsFile(padded.subarray(3), 'x', expectFor).movieEmb).toEqual(movieEmb);
});

test('refuses other files, truncation and embeddings of other artifacts, naming the file', () => {
  const bytes = writeEmbeddingsFile({ numMovies: 3, dim: 4, snapshotSha256: SNAP, modelSha256: MODEL, movieEmb });
  expect(() => readEmbeddingsFile(new TextEncoder().encode('<!doctype html>'), 'e.bin', expectFor)).toThrow(
    ArtifactFormatError,
  );
  expect(() => readEmbeddingsFile(bytes.subarray(0, bytes.length - 4), 'e.bin', expectFor)).toThrow(
    /cannot hold 3 × 4/,
  );
  const wrongVersion = bytes.slice();
  wrongVersion[8] = 9;
  expect(() => readEmbeddingsFile(wrongVersion, 'e.bin', expectFor)).toThrow(/unsupported format version 9/);
  expect(() => readEmbeddingsFile(bytes, 'e.bin', { ...expectFor, snapshotSha256: 'b'.repeat(64) })).toThrow(
    ArtifactMismatchError,
  );
  expect(() => readEmbeddingsFile(bytes, 'e.bin', { ...expectFor, modelSha256: SNAP })).toThrow(/another model file/);
  expect(() => readEmbeddingsFile(bytes, 'e.bin', { ...expectFor, dim: 5 })).toThrow(/expected 3 × 5/);
  expect(() => writeEmbeddingsFile({ ...expectFor, movieEmb: new Float32Array(5) })).toThrow(RangeError);
});
