/**
 * The exact update's rows of a few movies — features, id embedding, neighbour sums, degree — by HTTP range
 * requests into the serving snapshot, so a visitor's rating counts before the whole file has arrived. A few
 * hundred bytes per movie; unverified (no hash covers a range), so they serve only until the verified file
 * replaces them.
 */
import { neighbourWidth, type VisitorParams } from '../../src/core/model/params.ts';
import type { VisitorRow } from '../../src/core/model/visitor.ts';
import type { ServingPersonal } from '../../src/core/snapshot/format.ts';
import { decodeIdEmbedding, servingRowLayout } from '../../src/core/snapshot/read-serving.ts';
import { type ArtifactRef, fetchArtifactRange } from './artifact-fetch.ts';

/** Above this many movies at once, waiting for the whole file beats that many range requests. */
export const MAX_RANGE_ROWS = 8;

/**
 * A function fetching the rows of `movies`, or resolving null when ranges cannot help (the server does not
 * do them, or there are more than `MAX_RANGE_ROWS` movies): the caller waits for the whole file instead.
 */
export function servingRowFetcher(
  baseUrl: string | URL,
  ref: ArtifactRef,
  personal: Pick<ServingPersonal, 'sections' | 'params' | 'idEmbeddingScale'>,
  fetchFn: typeof fetch = fetch,
): (movies: readonly number[]) => Promise<VisitorRow[] | null> {
  const p: VisitorParams = personal.params;
  const widths = {
    movieFeatureDim: p.movieFeatureDim,
    idEmbeddingDim: p.config.movieIdEmbeddingDim,
    neighbourWidth: neighbourWidth(p.config, p.userFeatureDim),
  };
  const layout = servingRowLayout(personal.sections, widths);
  let ranges = true;
  const range = async (part: { offset: number; rowBytes: number }, m: number): Promise<ArrayBuffer | null> => {
    if (part.rowBytes === 0) return new ArrayBuffer(0);
    const start = part.offset + m * part.rowBytes;
    const bytes = await fetchArtifactRange(baseUrl, ref, start, start + part.rowBytes, fetchFn);
    return bytes ? bytes.slice().buffer : null;
  };
  return async (movies) => {
    if (!ranges || movies.length > MAX_RANGE_ROWS) return null;
    const rows = await Promise.all(
      movies.map(async (movie) => {
        const [f, e, s, d] = await Promise.all([
          range(layout.features, movie),
          range(layout.idEmbedding, movie),
          range(layout.neighbourSums, movie),
          range(layout.degree, movie),
        ]);
        if (!f || !e || !s || !d) return null;
        const row: VisitorRow = {
          movie,
          features: new Float32Array(f),
          idEmbedding: personal.idEmbeddingScale
            ? decodeIdEmbedding(new Uint8Array(e), personal.idEmbeddingScale)
            : new Float32Array(e),
          neighbourSums: new Float64Array(s),
          degree: new Int32Array(d)[0],
        };
        return row;
      }),
    );
    if (rows.some((r) => r === null)) {
      ranges = false;
      return null;
    }
    return rows as VisitorRow[];
  };
}
