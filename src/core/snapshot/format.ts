/**
 * The snapshot file format's constants and types (spec: docs/snapshot-format.md): the fixed header, the
 * section table entry layout, section kinds and element types, and the sections a version-1 file holds
 * (required, plus the optional `movies.links`).
 * Pure: no DOM or Node imports.
 */
import type { DatasetFormat, MovieLinks } from '../dataset.ts';
import type { FeatureSpec } from '../features.ts';
import type { RatingGraph } from '../graph.ts';

/** `CINESAGE` in ASCII. */
export const SNAPSHOT_MAGIC = new Uint8Array([0x43, 0x49, 0x4e, 0x45, 0x53, 0x41, 0x47, 0x45]);
export const SNAPSHOT_FORMAT_VERSION = 1;
/** Bytes before the section table. */
export const FIXED_HEADER_BYTES = 64;
export const SECTION_ENTRY_BYTES = 64;
export const SECTION_NAME_BYTES = 32;
/** Every section starts at a multiple of this, so typed-array views need no copy. */
export const SECTION_ALIGN = 16;
/** Offsets of the fixed header's fields. */
export const HEADER = {
  magic: 0,
  version: 8,
  headerLength: 12,
  sectionCount: 16,
  reserved: 20,
  fileLength: 24,
  contentHash: 32,
} as const;
/** The content hash covers bytes [HASHED_FROM, fileLength): the section table and every section. */
export const HASHED_FROM = FIXED_HEADER_BYTES;
/** More sections than this is a corrupt table, not a real file. */
export const MAX_SECTIONS = 256;

export type SectionKind = 'array' | 'json' | 'utf8';
export const SECTION_KIND_CODE: Record<SectionKind, number> = { array: 1, json: 2, utf8: 3 };

export type SectionDtype = 'u8' | 'i16' | 'i32' | 'u32' | 'f32';
export const DTYPE_CODE: Record<SectionDtype, number> = { u8: 1, i16: 2, i32: 3, u32: 4, f32: 5 };
export const DTYPE_BYTES: Record<SectionDtype, number> = { u8: 1, i16: 2, i32: 4, u32: 4, f32: 4 };

/** Every section of a version-1 snapshot with its kind and element type. */
export const SNAPSHOT_SECTIONS = {
  meta: { kind: 'json', dtype: 'u8' },
  featureSpec: { kind: 'json', dtype: 'u8' },
  'graph.userPtr': { kind: 'array', dtype: 'i32' },
  'graph.edgeMovie': { kind: 'array', dtype: 'i32' },
  'graph.edgeRating': { kind: 'array', dtype: 'f32' },
  'graph.edgeTime': { kind: 'array', dtype: 'u32' },
  'graph.moviePtr': { kind: 'array', dtype: 'i32' },
  'graph.movieAdjUser': { kind: 'array', dtype: 'i32' },
  'graph.movieAdjEdge': { kind: 'array', dtype: 'i32' },
  'graph.userFeatures': { kind: 'array', dtype: 'f32' },
  'graph.movieFeatures': { kind: 'array', dtype: 'f32' },
  'graph.userIds': { kind: 'array', dtype: 'i32' },
  'graph.movieIds': { kind: 'array', dtype: 'i32' },
  'movies.titleOffsets': { kind: 'array', dtype: 'u32' },
  'movies.titles': { kind: 'utf8', dtype: 'u8' },
  'movies.year': { kind: 'array', dtype: 'i16' },
  'movies.genreMask': { kind: 'array', dtype: 'u32' },
  'movies.popularity': { kind: 'array', dtype: 'i32' },
  /** Optional: IMDb and TMDB id per movie (2 words each, 0 = none); written when the data set has links. */
  'movies.links': { kind: 'array', dtype: 'u32', optional: true },
} as const satisfies Record<string, { kind: SectionKind; dtype: SectionDtype; optional?: true }>;

export type SectionName = keyof typeof SNAPSHOT_SECTIONS;
/** Sections a file may leave out (old files, and data sets without `links.csv`). */
export type OptionalSectionName = {
  [K in SectionName]: (typeof SNAPSHOT_SECTIONS)[K] extends { optional: true } ? K : never;
}[SectionName];

/** u32 words per movie in `movies.links`: IMDb id, TMDB id. */
export const LINK_WORDS = 2;

export interface SectionInfo {
  name: string;
  kind: SectionKind;
  dtype: SectionDtype;
  /** Absolute byte offset in the file. */
  offset: number;
  byteLength: number;
}

/** Free-form facts about how the snapshot was built (tool, source files, …); JSON-serialisable. */
export type BuildInfo = Record<string, unknown>;

/** Contents of the `meta` section. */
export interface SnapshotMeta {
  dataset: { name: string; format: DatasetFormat };
  counts: { users: number; movies: number; edges: number };
  build: BuildInfo;
}

/** Movie metadata the UI shows and filters on, indexed like the graph's movies. */
export interface SnapshotMovies {
  count: number;
  /** Genre vocabulary; bit g of a movie's mask means genres[g]. */
  genres: string[];
  /** Uint32 words per movie in `genreMask` (ceil(genres / 32)). */
  genreWords: number;
  genreMask: Uint32Array;
  /** Release year, 0 when unknown. */
  year: Int16Array;
  /** Training ratings of each movie when the snapshot was built (frozen; what its features used). */
  popularity: Int32Array;
  /** numMovies + 1 byte offsets into `titleBytes`. */
  titleOffsets: Uint32Array;
  /** Every title, UTF-8, concatenated. */
  titleBytes: Uint8Array;
  /**
   * IMDb id (word 2m) and TMDB id (word 2m + 1) of each movie, 0 where unknown; null when the snapshot has
   * no `movies.links` section (a data set without `links.csv`, or a file written before links existed).
   */
  links: Uint32Array | null;
  /** Decodes one title. */
  title(index: number): string;
  /** All titles, decoded once and cached. */
  titles(): string[];
}

export interface Snapshot {
  file: string;
  formatVersion: number;
  /** Hex SHA-256 from the header (checked only by `verifySnapshotHash`). */
  contentHash: string;
  byteLength: number;
  dataset: SnapshotMeta['dataset'];
  build: BuildInfo;
  featureSpec: FeatureSpec;
  /** Views into the file's buffer (no copy): never write to them. */
  graph: RatingGraph;
  movies: SnapshotMovies;
  sections: SectionInfo[];
}

/** What `writeSnapshot` needs; `BuiltGraph` from the pipeline has these fields. */
export interface SnapshotInput {
  dataset: { name: string; format: DatasetFormat };
  build?: BuildInfo;
  spec: FeatureSpec;
  graph: RatingGraph;
  /** Indexed like the graph's movies. */
  movies: { title: string; year: number | null; genres: string[]; links?: MovieLinks }[];
  moviePopularity: Int32Array;
}

export function alignUp(n: number, to = SECTION_ALIGN): number {
  return Math.ceil(n / to) * to;
}

export function genreWordsFor(genreCount: number): number {
  return Math.ceil(genreCount / 32);
}
