/**
 * Reads snapshot bytes into zero-copy typed-array views after validating every header field, section
 * entry, count and graph pointer against the buffer and each other (docs/snapshot-format.md). Any problem
 * is an `ArtifactFormatError` naming the file; nothing is returned half-built. The content hash is checked
 * separately (`verifySnapshotHash`), so reading stays linear and cheap. Pure: no DOM or Node imports.
 *
 * Over ~300 lines on purpose: every check of the format lives here, in the order of docs/snapshot-format.md,
 * so the reader and the specification can be compared side by side.
 */
import { ArtifactFormatError } from '../errors.ts';
import { parseFeatureSpec } from '../features.ts';
import type { RatingGraph } from '../graph.ts';
import { Sha256, toHex } from '../sha256.ts';
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
  genreWordsFor,
  HASHED_FROM,
  LINK_WORDS,
  SERVING_FORMAT_VERSION,
  type SectionName,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_SECTIONS,
  type Snapshot,
  type SnapshotMeta,
  type SnapshotMovies,
  V1_DTYPES,
} from './format.ts';
import { findGraphProblem } from './validate-graph.ts';

/** Why readSnapshot does not read this version (null: it does). */
function v1VersionProblem(version: number): string | null {
  if (version === SNAPSHOT_FORMAT_VERSION) return null;
  if (version === SERVING_FORMAT_VERSION) {
    return (
      `unsupported format version ${version} (a serving snapshot, without the graph: read it with ` +
      `readServingSnapshot; readSnapshot reads version ${SNAPSHOT_FORMAT_VERSION})`
    );
  }
  return `unsupported format version ${version} (this code reads version ${SNAPSHOT_FORMAT_VERSION}); rebuild it`;
}

/** Versions whose content hash `verifySnapshotHash` checks: the container is the same for both. */
function hashedVersionProblem(version: number): string | null {
  return version === SNAPSHOT_FORMAT_VERSION || version === SERVING_FORMAT_VERSION
    ? null
    : `unsupported format version ${version} (this code reads versions ${SNAPSHOT_FORMAT_VERSION} and ${SERVING_FORMAT_VERSION})`;
}

/** Validates and opens a snapshot. Typed arrays in the result are views into `bytes`' buffer. */
export function readSnapshot(bytes: ArrayBuffer | Uint8Array, file = 'snapshot.bin'): Snapshot {
  const fail = (problem: string): never => {
    throw new ArtifactFormatError(file, problem);
  };
  if (!IS_LITTLE_ENDIAN) fail('this device is big-endian; snapshots are little-endian');
  const data = alignedBytes(bytes);
  const header = readHeader(data, fail, v1VersionProblem);
  const sections = readSectionTable(data, header, fail, V1_DTYPES);

  const { has, view, json } = sectionReader<SectionName>(
    data,
    sections,
    (name) => ({ kind: SNAPSHOT_SECTIONS[name].kind, dtypes: [SNAPSHOT_SECTIONS[name].dtype] }),
    fail,
  );
  const i32 = (name: SectionName) => view(name, Int32Array);
  const u32 = (name: SectionName) => view(name, Uint32Array);
  const f32 = (name: SectionName) => view(name, Float32Array);

  const meta = parseMeta(json('meta'), fail);
  const featureSpec = parseFeatureSpec(json('featureSpec'), file);
  const userIds = i32('graph.userIds');
  const movieIds = i32('graph.movieIds');
  const edgeMovie = i32('graph.edgeMovie');
  const counts = { users: userIds.length, movies: movieIds.length, edges: edgeMovie.length };
  if (
    counts.users !== meta.counts.users ||
    counts.movies !== meta.counts.movies ||
    counts.edges !== meta.counts.edges
  ) {
    fail(
      `counts disagree: meta says ${meta.counts.users} users / ${meta.counts.movies} movies / ${meta.counts.edges} ` +
        `edges, the sections hold ${counts.users} / ${counts.movies} / ${counts.edges}`,
    );
  }

  const graph: RatingGraph = {
    numUsers: counts.users,
    numMovies: counts.movies,
    numEdges: counts.edges,
    userFeatureDim: featureSpec.userColumns.length,
    movieFeatureDim: featureSpec.movieColumns.length,
    userFeatures: f32('graph.userFeatures'),
    movieFeatures: f32('graph.movieFeatures'),
    userPtr: i32('graph.userPtr'),
    edgeMovie,
    edgeRating: f32('graph.edgeRating'),
    edgeTime: u32('graph.edgeTime'),
    moviePtr: i32('graph.moviePtr'),
    movieAdjUser: i32('graph.movieAdjUser'),
    movieAdjEdge: i32('graph.movieAdjEdge'),
    userIds,
    movieIds,
  };
  const graphProblem = findGraphProblem(graph);
  if (graphProblem) fail(`inconsistent graph: ${graphProblem}`);

  const movies = readMovies(
    {
      genres: featureSpec.genres,
      titleOffsets: u32('movies.titleOffsets'),
      titleBytes: view('movies.titles', Uint8Array),
      year: view('movies.year', Int16Array),
      genreMask: u32('movies.genreMask'),
      popularity: i32('movies.popularity'),
      // Optional: absent in files from data sets without links.csv (and in files written before it existed).
      links: has('movies.links') ? u32('movies.links') : null,
    },
    counts.movies,
    fail,
  );

  return {
    file,
    formatVersion: header.version,
    contentHash: toHex(header.contentHash),
    byteLength: header.fileLength,
    dataset: meta.dataset,
    build: meta.build,
    featureSpec,
    graph,
    movies,
    sections,
  };
}

/**
 * Checks the content hash in the header against the bytes (crypto.subtle when available, else the pure
 * implementation). `ArtifactFormatError` on a mismatch or an unreadable header.
 */
export async function verifySnapshotHash(bytes: ArrayBuffer | Uint8Array, file = 'snapshot.bin'): Promise<void> {
  const data = alignedBytes(bytes);
  const header = readHeader(
    data,
    (problem) => {
      throw new ArtifactFormatError(file, problem);
    },
    hashedVersionProblem,
  );
  const subtle = globalThis.crypto?.subtle;
  let actual: Uint8Array;
  if (subtle) {
    const hashed = data.subarray(HASHED_FROM, header.fileLength);
    actual = new Uint8Array(await subtle.digest('SHA-256', hashed as Uint8Array<ArrayBuffer>));
  } else {
    actual = new Sha256().update(data.subarray(HASHED_FROM, header.fileLength)).digest();
  }
  compareHash(header.contentHash, actual, file);
}

/** `verifySnapshotHash` without promises (pure TS SHA-256; ~7 ms per MB). */
export function verifySnapshotHashSync(bytes: ArrayBuffer | Uint8Array, file = 'snapshot.bin'): void {
  const data = alignedBytes(bytes);
  const header = readHeader(
    data,
    (problem) => {
      throw new ArtifactFormatError(file, problem);
    },
    hashedVersionProblem,
  );
  compareHash(header.contentHash, new Sha256().update(data.subarray(HASHED_FROM, header.fileLength)).digest(), file);
}

function compareHash(expected: Uint8Array, actual: Uint8Array, file: string): void {
  for (let i = 0; i < 32; i++) {
    if (expected[i] !== actual[i]) {
      throw new ArtifactFormatError(
        file,
        `content hash mismatch (header ${toHex(expected).slice(0, 12)}…, bytes ${toHex(actual).slice(0, 12)}…): ` +
          'the file is corrupt or was changed after it was built',
      );
    }
  }
}

function parseMeta(json: unknown, fail: Fail): SnapshotMeta {
  const m = json as SnapshotMeta;
  if (
    typeof m !== 'object' ||
    m === null ||
    !isDatasetInfo(m.dataset) ||
    !isCount(m.counts?.users) ||
    !isCount(m.counts?.movies) ||
    !isCount(m.counts?.edges) ||
    typeof m.build !== 'object' ||
    m.build === null
  ) {
    fail('section "meta" does not describe the data set, counts and build');
  }
  return m;
}

/** Checks and wraps the movie metadata sections (shared with the serving snapshot's reader). */
export function readMovies(
  arrays: Pick<
    SnapshotMovies,
    'genres' | 'titleOffsets' | 'titleBytes' | 'year' | 'genreMask' | 'popularity' | 'links'
  >,
  count: number,
  fail: Fail,
): SnapshotMovies {
  const { genres, titleOffsets, titleBytes, year, genreMask, popularity, links } = arrays;
  const genreWords = genreWordsFor(genres.length);
  if (titleOffsets.length !== count + 1)
    fail(`movies.titleOffsets has ${titleOffsets.length} entries, not ${count + 1}`);
  if (titleOffsets[0] !== 0 || titleOffsets[count] !== titleBytes.length) {
    fail('movies.titleOffsets do not span movies.titles');
  }
  for (let i = 0; i < count; i++) {
    if (titleOffsets[i + 1] < titleOffsets[i]) fail(`movies.titleOffsets decrease at ${i}`);
  }
  if (year.length !== count) fail(`movies.year has ${year.length} entries, not ${count}`);
  if (popularity.length !== count) fail(`movies.popularity has ${popularity.length} entries, not ${count}`);
  for (let i = 0; i < count; i++) if (popularity[i] < 0) fail(`movies.popularity[${i}] is negative`);
  if (genreMask.length !== count * genreWords)
    fail(`movies.genreMask has ${genreMask.length} words, not ${count * genreWords}`);
  const spare = genres.length % 32;
  if (spare !== 0) {
    const unused = ~((1 << spare) - 1) >>> 0;
    for (let i = 0; i < count; i++) {
      if ((genreMask[i * genreWords + genreWords - 1] & unused) !== 0)
        fail(`movie ${i} has a genre bit past the vocabulary`);
    }
  }
  if (links && links.length !== count * LINK_WORDS) {
    fail(`movies.links has ${links.length} words, not ${count * LINK_WORDS} (IMDb and TMDB id per movie)`);
  }
  const decoder = new TextDecoder();
  let decoded: string[] | null = null;
  const title = (i: number): string => {
    if (!(i >= 0 && i < count)) throw new RangeError(`movie index ${i} out of range`);
    return decoder.decode(titleBytes.subarray(titleOffsets[i], titleOffsets[i + 1]));
  };
  return {
    count,
    genres,
    genreWords,
    genreMask,
    year,
    popularity,
    titleOffsets,
    titleBytes,
    links,
    title,
    titles: () => {
      decoded ??= Array.from({ length: count }, (_, i) => title(i));
      return decoded;
    },
  };
}
