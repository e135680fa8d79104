/**
 * Reads a serving snapshot (format version 5, docs/snapshot-format.md § Serving snapshot) into typed-array
 * views (zero-copy, but for the sections stored as varint gaps, which are decoded) after validating the
 * container (shared with version 1), every section's kind, type and length against `meta` and the feature spec, and every value the visitor path trusts: ids strictly
 * increasing, no NaN or infinity in features, sums or embeddings, degrees ≥ 0 summing to the rating count,
 * mean ratings NaN exactly for movies nobody rated. Three reads for three moments: the catalog (a prefix),
 * what the first personal list needs (a longer prefix) and the whole file. Any problem is an `ArtifactFormatError` naming the file.
 * The content hash is checked separately (`verifySnapshotHash` in read.ts reads both versions). Pure: no DOM
 * or Node imports.
 */
import { ArtifactFormatError } from '../errors.ts';
import { parseFeatureSpec } from '../features.ts';
import { fromF16 } from '../model/float16.ts';
import { embeddingDim } from '../model/params.ts';
import type { RaterLists } from '../recommend/neighbours.ts';
import { scalarCodesProblem } from '../recommend/scalar-codes.ts';
import { toHex } from '../sha256.ts';
import {
  alignedBytes,
  type Fail,
  IS_LITTLE_ENDIAN,
  isCount,
  isDatasetInfo,
  readHeader,
  readSectionTable,
  sectionReader,
} from './container.ts';
import {
  DTYPE_CODE,
  SERVING_FORMAT_VERSION,
  SERVING_SECTIONS,
  type SectionDtype,
  type SectionInfo,
  type ServingCatalog,
  type ServingEmbedding,
  type ServingMeta,
  type ServingPersonal,
  type ServingSectionName,
  type ServingSnapshot,
  SNAPSHOT_FORMAT_VERSION,
} from './format.ts';
import { decodeGaps } from './gaps.ts';
import { readMovies } from './read.ts';
import { decodeServingParams } from './serving-params.ts';

const ALL_DTYPES: ReadonlySet<SectionDtype> = new Set(Object.keys(DTYPE_CODE) as SectionDtype[]);

function servingVersionProblem(version: number): string | null {
  if (version === SERVING_FORMAT_VERSION) return null;
  if (version === SNAPSHOT_FORMAT_VERSION) {
    return `format version ${version} is a full graph snapshot (read it with readSnapshot), not a serving snapshot (version ${SERVING_FORMAT_VERSION})`;
  }
  return `unsupported format version ${version} (this code reads serving snapshots of version ${SERVING_FORMAT_VERSION}); rebuild it`;
}

/** The sections the catalog is read from: the file's prefix up to `servingCatalogEnd`. */
export const SERVING_CATALOG_SECTIONS: readonly ServingSectionName[] = [
  'meta',
  'featureSpec',
  'movies.ids',
  'movies.titleOffsets',
  'movies.titles',
  'movies.year',
  'movies.genreMask',
  'movies.popularity',
  'movies.meanRating',
];

/** The container opened: header, sections, and typed views by section name. */
function openServing(bytes: ArrayBuffer | Uint8Array, file: string) {
  const fail: Fail = (problem) => {
    throw new ArtifactFormatError(file, problem);
  };
  if (!IS_LITTLE_ENDIAN) fail('this device is big-endian; snapshots are little-endian');
  const data = alignedBytes(bytes);
  const header = readHeader(data, fail, servingVersionProblem);
  const sections = readSectionTable(data, header, fail, ALL_DTYPES);

  const { has, section, view, json } = sectionReader<ServingSectionName>(
    data,
    sections,
    (name) => SERVING_SECTIONS[name],
    fail,
  );
  const length = (name: string, array: { length: number }, expected: number, what: string) => {
    if (array.length !== expected) fail(`${name} has ${array.length} entries, not ${expected} (${what})`);
  };
  return { fail, header, sections, has, section, view, json, length };
}

/** Byte offset where the catalog's sections end: the prefix `readServingCatalog` needs. */
export function servingCatalogEnd(sections: readonly SectionInfo[]): number {
  let end = 0;
  for (const s of sections) {
    if ((SERVING_CATALOG_SECTIONS as readonly string[]).includes(s.name)) end = Math.max(end, s.offset + s.byteLength);
  }
  return end;
}

/** The sections after the catalog that the first personal list needs: the weights and the scoring codes. */
export const SERVING_PERSONAL_SECTIONS: readonly ServingSectionName[] = [
  'model.params',
  'model.weights',
  'model.movieBias',
  'codes.min',
  'codes.step',
  'codes.values',
  'model.idEmbeddingScale',
  'visitor.raters',
];

/** Byte offset where the first personal list's sections end: the prefix `readServingPersonal` needs. */
export function servingPersonalEnd(sections: readonly SectionInfo[]): number {
  let end = servingCatalogEnd(sections);
  for (const s of sections) {
    if ((SERVING_PERSONAL_SECTIONS as readonly string[]).includes(s.name)) end = Math.max(end, s.offset + s.byteLength);
  }
  return end;
}

/** Where one movie's rows of the exact update lie in the file: per section, its offset and row length. */
export interface ServingRowLayout {
  features: { offset: number; rowBytes: number };
  idEmbedding: { offset: number; rowBytes: number };
  neighbourSums: { offset: number; rowBytes: number };
  degree: { offset: number; rowBytes: number };
}

/** The row layout from the section table and the widths the personal read knows (for range requests). */
export function servingRowLayout(
  sections: readonly SectionInfo[],
  widths: { movieFeatureDim: number; idEmbeddingDim: number; neighbourWidth: number },
): ServingRowLayout {
  const at = (name: ServingSectionName) => sections.find((s) => s.name === name)?.offset ?? 0;
  return {
    features: { offset: at('movies.features'), rowBytes: 4 * widths.movieFeatureDim },
    idEmbedding: {
      offset: at('model.idEmbedding'),
      rowBytes: (sections.find((s) => s.name === 'model.idEmbedding')?.dtype === 'u8' ? 1 : 4) * widths.idEmbeddingDim,
    },
    neighbourSums: { offset: at('visitor.neighbourSums'), rowBytes: 8 * widths.neighbourWidth },
    degree: { offset: at('movies.popularity'), rowBytes: 4 },
  };
}

/**
 * The catalog of a serving snapshot (dataset, feature spec, counts, movies with ids and mean ratings) from a
 * buffer of the file's full length of which only the prefix up to `servingCatalogEnd` need have arrived —
 * so the first list can be shown while the rest downloads. The caller verifies that prefix (the manifest's
 * `catalogSha256`); the full read (`readServingSnapshot`) checks everything again with the rest.
 */
export function readServingCatalog(bytes: ArrayBuffer | Uint8Array, file = 'serving.bin'): ServingCatalog {
  return catalogOf(openServing(bytes, file), file, false);
}

/** The catalog; its IMDb/TMDB links only from the whole file (they follow the codes, off the first lists' path). */
function catalogOf(o: ReturnType<typeof openServing>, file: string, withLinks: boolean): ServingCatalog {
  const { fail, header, has, view, json, length } = o;
  const meta = parseServingMeta(json('meta'), fail);
  const featureSpec = parseFeatureSpec(json('featureSpec'), file);
  const count = meta.counts.movies;

  // Both as varint gaps (gaps.ts): the ids strictly increasing by construction, the offsets non-decreasing.
  const single = (section: string, strict: boolean, below: number) => ({
    section,
    strict,
    below,
    label: () => 'the list',
  });
  const ids = decodeGaps(
    view('movies.ids', Uint8Array),
    [count],
    single('movies.ids', true, 2 ** 31),
    (n) => new Int32Array(n),
    fail,
  ).values;
  const titleBytes = view('movies.titles', Uint8Array);
  const titleOffsets = decodeGaps(
    view('movies.titleOffsets', Uint8Array),
    [count + 1],
    single('movies.titleOffsets', false, titleBytes.length + 1),
    (n) => new Uint32Array(n),
    fail,
  ).values;

  const base = readMovies(
    {
      genres: featureSpec.genres,
      titleOffsets,
      titleBytes,
      year: view('movies.year', Int16Array),
      genreMask: view('movies.genreMask', Uint32Array),
      popularity: view('movies.popularity', Int32Array),
      links: withLinks && has('movies.links') ? view('movies.links', Uint32Array) : null,
    },
    count,
    fail,
  );
  const meanRating = view('movies.meanRating', Float32Array);
  length('movies.meanRating', meanRating, count, 'one per movie');
  for (let m = 0; m < count; m++) {
    const r = meanRating[m];
    if (!Number.isNaN(r) && !(r >= 0.5 && r <= 5)) fail(`movies.meanRating[${m}] is ${r} (NaN or 0.5–5)`);
  }
  return {
    file,
    formatVersion: SERVING_FORMAT_VERSION,
    contentHash: toHex(header.contentHash),
    byteLength: header.fileLength,
    meta,
    dataset: meta.dataset,
    counts: meta.counts,
    globalMeanRating: meta.globalMeanRating,
    featureSpec,
    movies: { ...base, ids, meanRating },
  };
}

/**
 * What the first personal list needs — the catalog, the visitor model and the scoring codes — from a buffer
 * of the file's full length of which only the prefix up to `servingPersonalEnd` need have arrived. The
 * caller verifies that prefix (the manifest's `personalSha256`).
 */
export function readServingPersonal(bytes: ArrayBuffer | Uint8Array, file = 'serving.bin'): ServingPersonal {
  const o = openServing(bytes, file);
  const catalog = catalogOf(o, file, false);
  return { catalog, ...personalOf(o, catalog), sections: o.sections };
}

/** An int8 model's id-embedding scale (u8 rows), or null for f32 rows; validated against the width. */
function idScaleOf(o: ReturnType<typeof openServing>, idDim: number): Float32Array | null {
  const { fail, has, section, view } = o;
  const bytes = has('model.idEmbedding') && section('model.idEmbedding').dtype === 'u8';
  if (!bytes) {
    if (has('model.idEmbeddingScale')) fail('model.idEmbeddingScale without u8 id embeddings');
    return null;
  }
  if (!has('model.idEmbeddingScale')) fail('u8 model.idEmbedding needs model.idEmbeddingScale');
  const scale = view('model.idEmbeddingScale', Float32Array);
  if (scale.length !== idDim) fail(`model.idEmbeddingScale has ${scale.length} columns, not ${idDim}`);
  allFinite('model.idEmbeddingScale', scale, fail);
  return scale;
}

/** Float32 id-embedding rows from u8 ones: (stored − 128) × scale, exactly as `readModelParams` dequantises. */
export function decodeIdEmbedding(stored: Uint8Array, scale: Float32Array): Float32Array {
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = (stored[i] - 128) * scale[i % scale.length];
  return out;
}

function personalOf(
  o: ReturnType<typeof openServing>,
  catalog: ServingCatalog,
): Omit<ServingPersonal, 'catalog' | 'sections'> {
  const { fail, view, json } = o;
  const { meta, featureSpec } = catalog;
  const count = meta.counts.movies;
  const params = decodeServingParams(
    json('model.params'),
    view('model.weights', Float32Array),
    view('model.movieBias', Float32Array),
    fail,
  );
  if (params.numMovies !== count) fail(`model.params is for ${params.numMovies} movies, the catalog has ${count}`);
  if (
    params.userFeatureDim !== featureSpec.userColumns.length ||
    params.movieFeatureDim !== featureSpec.movieColumns.length
  ) {
    fail(
      `model.params has feature widths ${params.userFeatureDim}/${params.movieFeatureDim}, the feature spec ${featureSpec.userColumns.length}/${featureSpec.movieColumns.length}`,
    );
  }
  const dim = embeddingDim(params.config);
  if (dim !== meta.model.embeddingDim)
    fail(`model.params gives embeddings ${dim} wide, meta says ${meta.model.embeddingDim}`);
  const a = meta.model.ratingMessages;
  const b = params.config.ratingMessages;
  if ((a === null) !== (b === undefined) || (a && b && (a.center !== b.center || a.scale !== b.scale))) {
    fail(`model.params has rating-aware messages ${JSON.stringify(b ?? null)}, meta says ${JSON.stringify(a)}`);
  }
  const bits = (json('model.params') as { codeBits?: unknown }).codeBits;
  const codes = {
    dim,
    bits: typeof bits === 'number' ? bits : Number.NaN,
    min: view('codes.min', Float32Array),
    step: view('codes.step', Float32Array),
    values: view('codes.values', Uint8Array),
  };
  const problem = scalarCodesProblem(codes, count);
  if (problem) fail(`the scoring codes (codes.*) cannot be decoded: ${problem}`);
  const degree = degreesOf(catalog.movies.popularity, meta.counts, fail);
  const raters = o.has('visitor.raters')
    ? raterListsFrom(view('visitor.raters', Uint8Array), degree, meta.counts, fail)
    : null;
  return { params, codes, idEmbeddingScale: idScaleOf(o, params.config.movieIdEmbeddingDim), raters };
}

/**
 * Each movie's degree in the graph: its popularity (`movies.popularity`, the catalog's rating count, already
 * checked one per movie and ≥ 0 — version 5 stores it once, for the catalog and the exact update), checked
 * here to sum to the ratings.
 */
function degreesOf(
  popularity: Int32Array,
  counts: { movies: number; ratings: number },
  fail: (problem: string) => never,
): Int32Array {
  let ratings = 0;
  for (let m = 0; m < counts.movies; m++) ratings += popularity[m];
  if (ratings !== counts.ratings) {
    fail(`movies.popularity sums to ${ratings} ratings, meta.counts.ratings says ${counts.ratings}`);
  }
  return popularity;
}

/**
 * Validates and opens a serving snapshot. Typed arrays in the result are views into `bytes`' buffer, but for
 * the ids, title offsets and rater lists, decoded from their varint gaps.
 */
export function readServingSnapshot(bytes: ArrayBuffer | Uint8Array, file = 'serving.bin'): ServingSnapshot {
  const o = openServing(bytes, file);
  const { fail, sections, section, view, length, has } = o;
  const catalog = catalogOf(o, file, true);
  const { params, codes, idEmbeddingScale: idScale, raters } = personalOf(o, catalog);
  const { meta, featureSpec } = catalog;
  const { ids, meanRating } = catalog.movies;
  const base = catalog.movies;
  const count = meta.counts.movies;
  const userFeatureDim = featureSpec.userColumns.length;
  const movieFeatureDim = featureSpec.movieColumns.length;

  const degree = catalog.movies.popularity;

  for (let m = 0; m < count; m++) {
    const r = meanRating[m];
    if (degree[m] === 0 ? !Number.isNaN(r) : !(r >= 0.5 && r <= 5)) {
      fail(`movies.meanRating[${m}] is ${r} for a movie with ${degree[m]} ratings (NaN exactly when none, else 0.5–5)`);
    }
  }

  const features = view('movies.features', Float32Array);
  length('movies.features', features, count * movieFeatureDim, `${count} movies × ${movieFeatureDim} columns`);
  allFinite('movies.features', features, fail);

  const neighbourWidth = meta.model.ratingMessages ? 2 * userFeatureDim : userFeatureDim;
  const neighbourSums = view('visitor.neighbourSums', Float64Array);
  length('visitor.neighbourSums', neighbourSums, count * neighbourWidth, `${count} movies × ${neighbourWidth}`);
  allFinite('visitor.neighbourSums', neighbourSums, fail);

  const idDim = params.config.movieIdEmbeddingDim;
  const idEmbedding = !has('model.idEmbedding')
    ? new Float32Array(0)
    : idScale
      ? decodeIdEmbedding(view('model.idEmbedding', Uint8Array), idScale)
      : view('model.idEmbedding', Float32Array);
  length('model.idEmbedding', idEmbedding, count * idDim, `${count} movies × ${idDim}`);
  allFinite('model.idEmbedding', idEmbedding, fail);

  const dim = meta.model.embeddingDim;
  const embeddingSection = section('movies.embedding');
  if (embeddingSection.dtype !== meta.model.embeddingDtype) {
    fail(`movies.embedding is ${embeddingSection.dtype}, meta says ${meta.model.embeddingDtype}`);
  }
  let embedding: ServingEmbedding;
  if (embeddingSection.dtype === 'f16') {
    const values = view('movies.embedding', Uint16Array);
    length('movies.embedding', values, count * dim, `${count} movies × ${dim}`);
    for (let i = 0; i < values.length; i++) {
      if ((values[i] & 0x7c00) === 0x7c00) fail(`movies.embedding[${i}] is an infinite or NaN float16`);
    }
    embedding = { dim, dtype: 'f16', values };
  } else {
    const values = view('movies.embedding', Float32Array);
    length('movies.embedding', values, count * dim, `${count} movies × ${dim}`);
    allFinite('movies.embedding', values, fail);
    embedding = { dim, dtype: 'f32', values };
  }

  return {
    file,
    formatVersion: SERVING_FORMAT_VERSION,
    contentHash: catalog.contentHash,
    byteLength: catalog.byteLength,
    dataset: meta.dataset,
    counts: meta.counts,
    globalMeanRating: meta.globalMeanRating,
    model: meta.model,
    build: meta.build,
    featureSpec,
    movies: { ...base, ids, meanRating, features, featureDim: movieFeatureDim },
    visitor: { userFeatureDim, neighbourWidth, neighbourSums, degree },
    raters,
    params,
    idEmbedding,
    codes,
    embedding,
    sections,
  };
}

/**
 * The rater lists from `visitor.raters` (varint gaps, gaps.ts) and the degrees: one user index per
 * rating, each below the user count, strictly increasing within each movie's list (the graph's movie CSR order).
 */
function raterListsFrom(
  bytes: Uint8Array,
  degree: Int32Array,
  counts: { users: number; movies: number; ratings: number },
  fail: (problem: string) => never,
): RaterLists {
  const lists = {
    section: 'visitor.raters',
    strict: true,
    below: counts.users,
    label: (m: number) => `movie ${m}'s list`,
  };
  const { ptr, values } = decodeGaps(bytes, degree, lists, (n) => new Int32Array(n), fail);
  return { numUsers: counts.users, numMovies: counts.movies, moviePtr: ptr, users: values };
}

/** The movie embeddings as float32: a view for `f32`, decoded once (a new array) for `f16`. */
export function servingMovieEmbeddings(serving: Pick<ServingSnapshot, 'embedding'>): Float32Array {
  const e = serving.embedding;
  return e.dtype === 'f32' ? e.values : fromF16(e.values);
}

/** The version in a snapshot file's header (1 full graph, 2 serving), or null when it is not a snapshot. */
export function snapshotVersion(bytes: Uint8Array): number | null {
  if (bytes.length < 12) return null;
  for (const [i, b] of [0x43, 0x49, 0x4e, 0x45, 0x53, 0x41, 0x47, 0x45].entries()) if (bytes[i] !== b) return null;
  return new DataView(bytes.buffer, bytes.byteOffset, 12).getUint32(8, true);
}

function allFinite(name: string, values: Float32Array | Float64Array, fail: Fail): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) fail(`${name}[${i}] is ${values[i]}`);
}

function parseServingMeta(json: unknown, fail: Fail): ServingMeta {
  const m = json as ServingMeta;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const rm = m?.model?.ratingMessages;
  if (
    typeof m !== 'object' ||
    m === null ||
    !isDatasetInfo(m.dataset) ||
    !isCount(m.counts?.users) ||
    !isCount(m.counts?.movies) ||
    !isCount(m.counts?.ratings) ||
    !finite(m.globalMeanRating) ||
    typeof m.model !== 'object' ||
    m.model === null ||
    typeof m.model.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(m.model.sha256) ||
    !(isCount(m.model.embeddingDim) && m.model.embeddingDim > 0) ||
    !['f32', 'f16'].includes(m.model.embeddingDtype) ||
    !(rm === null || (typeof rm === 'object' && finite(rm.center) && finite(rm.scale) && rm.scale !== 0)) ||
    typeof m.build !== 'object' ||
    m.build === null
  ) {
    fail('section "meta" does not describe the data set, counts, model and build');
  }
  return m;
}
