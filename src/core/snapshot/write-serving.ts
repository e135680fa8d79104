/**
 * Serialises a serving snapshot (format version 5, docs/snapshot-format.md § Serving snapshot): the catalog,
 * the visitor model's weights and the embeddings' scoring codes, the exact visitor update's per-movie rows
 * and the movie embeddings, in that order, in the same container as version 1 and without any rating edge. Deterministic: the same input gives the same bytes
 * and content hash. The output is read back with `readServingSnapshot` before it is returned, so a writer
 * never emits a file the reader rejects. Pure: no DOM or Node imports.
 */
import { ArtifactFormatError } from '../errors.ts';
import { f32ToF16Bits } from '../model/float16.ts';
import { encodeContainer, type SectionToWrite } from './container.ts';
import {
  SERVING_FORMAT_VERSION,
  SERVING_SECTIONS,
  type ServingMeta,
  type ServingSectionName,
  type ServingSnapshotInput,
} from './format.ts';
import { encodeGaps, listStarts } from './gaps.ts';
import { readServingSnapshot } from './read-serving.ts';
import { encodeServingParams } from './serving-params.ts';

export function writeServingSnapshot(input: ServingSnapshotInput): Uint8Array {
  const fail = (problem: string): never => {
    throw new Error(`writeServingSnapshot: ${problem}`);
  };
  const { movies, visitor, embedding } = input;
  const numMovies = movies.ids.length;
  if (embedding.values.length !== numMovies * embedding.dim) {
    fail(`${embedding.values.length} embedding values for ${numMovies} movies × ${embedding.dim}`);
  }
  // The file stores each movie's degree once, as its popularity: they must be the same numbers.
  if (visitor.degree.length !== movies.popularity.length || visitor.degree.some((d, m) => d !== movies.popularity[m])) {
    fail(
      'visitor.degree differs from movies.popularity (a serving snapshot stores the degrees once, as the popularity)',
    );
  }
  const encoder = new TextEncoder();
  const meta: ServingMeta = {
    dataset: { name: input.dataset.name, format: input.dataset.format },
    counts: { users: input.counts.users, movies: numMovies, ratings: input.counts.ratings },
    globalMeanRating: input.globalMeanRating,
    model: {
      sha256: input.modelSha256,
      embeddingDim: embedding.dim,
      embeddingDtype: embedding.dtype,
      ratingMessages: visitor.ratingMessages
        ? { center: visitor.ratingMessages.center, scale: visitor.ratingMessages.scale }
        : null,
    },
    build: input.build ?? {},
  };
  const embeddingBytes = embedding.dtype === 'f32' ? embedding.values : halves(embedding.values, fail);
  const params = encodeServingParams(input.params, input.codes.bits);
  const idDim = input.params.config.movieIdEmbeddingDim;
  const scale = input.idEmbeddingScale ?? null;
  const idEmbedding =
    idDim === 0 ? null : scale ? int8Rows(input.params.movieIdEmbedding, scale, fail) : input.params.movieIdEmbedding;
  const data: Record<ServingSectionName, ArrayBufferView | null> = {
    meta: encoder.encode(JSON.stringify(meta)),
    featureSpec: encoder.encode(JSON.stringify(input.spec)),
    'movies.ids': encodeGaps([0, numMovies], movies.ids, true),
    'movies.titleOffsets': encodeGaps([0, numMovies + 1], movies.titleOffsets, false),
    'movies.titles': movies.titleBytes,
    'movies.year': movies.year,
    'movies.genreMask': movies.genreMask,
    'movies.popularity': movies.popularity,
    'movies.meanRating': movies.meanRating,
    'movies.links': movies.links,
    'model.params': encoder.encode(JSON.stringify(params.json)),
    'model.weights': params.weights,
    'model.movieBias': params.movieBias,
    'codes.min': input.codes.min,
    'codes.step': input.codes.step,
    'codes.values': input.codes.values,
    'movies.features': movies.features,
    'model.idEmbedding': idEmbedding,
    'model.idEmbeddingScale': idDim > 0 ? scale : null,
    'visitor.neighbourSums': visitor.neighbourSums,
    'visitor.raters': visitor.raters ? encodeGaps(listStarts(visitor.degree), visitor.raters, true) : null,
    'movies.embedding': embeddingBytes,
  };
  const sections: SectionToWrite[] = [];
  for (const name of Object.keys(SERVING_SECTIONS) as ServingSectionName[]) {
    const bytes = data[name];
    // Optional sections (links, id embeddings, rater lists) are left out entirely (not written empty) when there are none.
    if (bytes === null) continue;
    const { kind, dtypes } = SERVING_SECTIONS[name];
    const dtype =
      name === 'movies.embedding' ? embedding.dtype : name === 'model.idEmbedding' && scale ? 'u8' : dtypes[0];
    sections.push({ name, kind, dtype, data: bytes });
  }
  const out = encodeContainer(SERVING_FORMAT_VERSION, sections, 'writeServingSnapshot');
  try {
    readServingSnapshot(out, 'serving snapshot');
  } catch (err) {
    if (err instanceof ArtifactFormatError) fail(err.message);
    throw err;
  }
  return out;
}

/** An int8 model's dequantised rows back to q + 128, checked to decode to the same float32 values. */
function int8Rows(values: Float32Array, scale: Float32Array, fail: (problem: string) => never): Uint8Array {
  const cols = scale.length;
  const out = new Uint8Array(values.length);
  const back = new Float32Array(1);
  for (let i = 0; i < values.length; i++) {
    const s = scale[i % cols];
    const q = s > 0 ? Math.round(values[i] / s) : 0;
    back[0] = q * s;
    if (!(q >= -128 && q <= 127) || back[0] !== values[i]) {
      fail(`id embedding value ${values[i]} at ${i} is not an int8 multiple of its column's scale ${s}`);
    }
    out[i] = q + 128;
  }
  return out;
}

/** float32 → IEEE half bits, round to nearest even; a value too large for a half is an error, not ±inf. */
function halves(values: Float32Array, fail: (problem: string) => never): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const bits = f32ToF16Bits(values[i]);
    if ((bits & 0x7c00) === 0x7c00) fail(`embedding value ${values[i]} at ${i} has no float16 (|x| ≥ 65520 or NaN)`);
    out[i] = bits;
  }
  return out;
}
