/**
 * The snapshot file format's constants and types (spec: docs/snapshot-format.md): the fixed header, the
 * section table entry layout, section kinds and element types, the sections a version-1 file holds
 * (required, plus the optional `movies.links`), and those of a version-2 serving snapshot (below `SERVING_`).
 * Pure: no DOM or Node imports.
 */
import type { DatasetFormat, MovieLinks } from '../dataset.ts';
import type { FeatureSpec } from '../features.ts';
import type { RatingGraph } from '../graph.ts';
import type { ModelParams, VisitorParams } from '../model/params.ts';
import type { RaterLists } from '../recommend/neighbours.ts';
import type { ScalarCodes } from '../recommend/scalar-codes.ts';

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

/**
 * Element types. `f16` (IEEE 754 half, stored as its 16 bits) and `f64` exist from version 2 (the serving
 * snapshot) on; a version-1 reader rejects them like any unknown type (`V1_DTYPES`).
 */
export type SectionDtype = 'u8' | 'i16' | 'i32' | 'u32' | 'f32' | 'f16' | 'f64';
export const DTYPE_CODE: Record<SectionDtype, number> = { u8: 1, i16: 2, i32: 3, u32: 4, f32: 5, f16: 6, f64: 7 };
export const DTYPE_BYTES: Record<SectionDtype, number> = { u8: 1, i16: 2, i32: 4, u32: 4, f32: 4, f16: 2, f64: 8 };
/** The element types a version-1 file may use (any other code is an unknown type there). */
export const V1_DTYPES: ReadonlySet<SectionDtype> = new Set(['u8', 'i16', 'i32', 'u32', 'f32']);

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

// ---------------------------------------------------------------------------------------------------------
// Version 3: the serving snapshot (docs/snapshot-format.md § Serving snapshot). The same container; only
// what the visitor path needs, in the order it needs it: the catalog (the first list), the visitor model's
// weights and compact scoring codes (the first personal list), the per-movie rows of the exact visitor
// update (fetched by range for movies rated before they arrive) and the exact movie embeddings last. No
// rating edges, and no model file on the visitor path.

// Version 5: the sorted sections (`movies.ids`, `movies.titleOffsets`, `visitor.raters`) as varint gaps
// (gaps.ts) instead of 32-bit integers, and no `visitor.degree` (the same numbers as `movies.popularity`).

export const SERVING_FORMAT_VERSION = 5;

/** Element type of the movie embeddings in a serving snapshot. */
export type EmbeddingDtype = 'f32' | 'f16';

/** Every section of a serving snapshot with its kind and allowed element types, in file order. */
export const SERVING_SECTIONS = {
  meta: { kind: 'json', dtypes: ['u8'] },
  featureSpec: { kind: 'json', dtypes: ['u8'] },
  'movies.ids': { kind: 'array', dtypes: ['u8'] },
  'movies.titleOffsets': { kind: 'array', dtypes: ['u8'] },
  'movies.titles': { kind: 'utf8', dtypes: ['u8'] },
  'movies.year': { kind: 'array', dtypes: ['i16'] },
  'movies.genreMask': { kind: 'array', dtypes: ['u32'] },
  'movies.popularity': { kind: 'array', dtypes: ['i32'] },
  'movies.meanRating': { kind: 'array', dtypes: ['f32'] },
  'model.params': { kind: 'json', dtypes: ['u8'] },
  'model.weights': { kind: 'array', dtypes: ['f32'] },
  'model.movieBias': { kind: 'array', dtypes: ['f32'] },
  'codes.min': { kind: 'array', dtypes: ['f32'] },
  'codes.step': { kind: 'array', dtypes: ['f32'] },
  'codes.values': { kind: 'array', dtypes: ['u8'] },
  'model.idEmbeddingScale': { kind: 'array', dtypes: ['f32'], optional: true },
  'visitor.raters': { kind: 'array', dtypes: ['u8'], optional: true },
  'movies.links': { kind: 'array', dtypes: ['u32'], optional: true },
  'movies.features': { kind: 'array', dtypes: ['f32'] },
  'model.idEmbedding': { kind: 'array', dtypes: ['f32', 'u8'], optional: true },
  'visitor.neighbourSums': { kind: 'array', dtypes: ['f64'] },
  'movies.embedding': { kind: 'array', dtypes: ['f32', 'f16'] },
} as const satisfies Record<string, { kind: SectionKind; dtypes: readonly SectionDtype[]; optional?: true }>;

export type ServingSectionName = keyof typeof SERVING_SECTIONS;

/** Contents of a serving snapshot's `meta` section. */
export interface ServingMeta {
  dataset: { name: string; format: DatasetFormat };
  /** Of the graph the cache was computed from; for display (the file holds no users and no ratings). */
  counts: { users: number; movies: number; ratings: number };
  /** Mean stars over every rating of that graph (3 when it has none): the catalog's prior. */
  globalMeanRating: number;
  model: {
    /** Lower-case hex SHA-256 of the model file the embeddings and the cache were computed with. */
    sha256: string;
    /** D, the embedding width (with the score-bias column when the model has one). */
    embeddingDim: number;
    embeddingDtype: EmbeddingDtype;
    /** The model's `ratingMessages` (what T_m's signs were computed with), or null: no T_m. */
    ratingMessages: { center: number; scale: number } | null;
  };
  build: BuildInfo;
}

/** The catalog part of a serving snapshot: v1's movie metadata plus ids, mean ratings and feature rows. */
export interface ServingMovies extends SnapshotMovies {
  /** Data-set id of each movie index, strictly increasing. */
  ids: Int32Array;
  /** Mean stars of each movie over the graph's ratings (what `Catalog.meanRating` computes); NaN for none. */
  meanRating: Float32Array;
  /** numMovies × featureDim frozen movie feature rows (`featureSpec.movieColumns`): x_m without the id embedding. */
  features: Float32Array;
  featureDim: number;
}

/** The movie embeddings z_m, numMovies × dim, as stored. */
export type ServingEmbedding =
  | { dim: number; dtype: 'f32'; values: Float32Array }
  | { dim: number; dtype: 'f16' /** IEEE half bits. */; values: Uint16Array };

export interface ServingSnapshot {
  file: string;
  formatVersion: typeof SERVING_FORMAT_VERSION;
  /** Hex SHA-256 from the header (checked only by `verifySnapshotHash`). */
  contentHash: string;
  byteLength: number;
  dataset: ServingMeta['dataset'];
  counts: ServingMeta['counts'];
  globalMeanRating: number;
  model: ServingMeta['model'];
  build: BuildInfo;
  featureSpec: FeatureSpec;
  /**
   * Views into the file's buffer (no copy), but for the ids and title offsets, decoded from their varint
   * gaps: never write to them.
   */
  movies: ServingMovies;
  /** The exact visitor update's per-movie cache (src/core/model/visitor.ts `VisitorCache`). */
  visitor: {
    userFeatureDim: number;
    /** userFeatureDim, or twice that with rating-aware messages ([S_m, T_m]). */
    neighbourWidth: number;
    /** numMovies × neighbourWidth float64 sums of each movie's neighbour user feature rows. */
    neighbourSums: Float64Array;
    /** Each movie's degree in that graph (since version 5 the same array as `movies.popularity`). */
    degree: Int32Array;
  };
  /**
   * Who rated each movie in that graph (user indices, movie after movie, as the graph's movie CSR), for
   * the ranking's neighbourhood term; null when the file has no `visitor.raters` section.
   */
  raters: RaterLists | null;
  /** The visitor model's weights (`model.*` sections): what the exact update, scoring and predictions read. */
  params: VisitorParams;
  /** x_m's id-embedding part, numMovies × config.movieIdEmbeddingDim (empty when the model has none). */
  idEmbedding: Float32Array;
  /** The movie embeddings quantised: what the first personal list is scored against. */
  codes: ServingCodes;
  embedding: ServingEmbedding;
  sections: SectionInfo[];
}

/** The movie embeddings' scoring codes: per-column scalar quantisation (src/core/recommend/scalar-codes.ts). */
export type ServingCodes = ScalarCodes;

/**
 * What the first personal list needs, read from the file's prefix up to `servingPersonalEnd`: the catalog,
 * the visitor model's weights and the scoring codes. The per-movie rows of the exact update follow in the
 * file (fetched by range for the movies rated before they arrive, `servingRowLayout`), the exact
 * embeddings last.
 */
export interface ServingPersonal {
  catalog: ServingCatalog;
  params: VisitorParams;
  codes: ServingCodes;
  /** The file's section table (where the rows of the exact update lie, for range requests). */
  sections: SectionInfo[];
  /** Per-column scale of an int8 model's id embeddings (stored as q + 128 in u8), or null when stored f32. */
  idEmbeddingScale: Float32Array | null;
  /** The rater lists of the ranking's neighbourhood term (as `ServingSnapshot.raters`), or null without them. */
  raters: RaterLists | null;
}

/** A serving snapshot's catalog alone (`readServingCatalog`): what the first list needs. */
export interface ServingCatalog {
  file: string;
  formatVersion: typeof SERVING_FORMAT_VERSION;
  contentHash: string;
  byteLength: number;
  meta: ServingMeta;
  dataset: ServingMeta['dataset'];
  counts: ServingMeta['counts'];
  globalMeanRating: number;
  featureSpec: FeatureSpec;
  movies: SnapshotMovies & Pick<ServingMovies, 'ids' | 'meanRating'>;
}

/** What `writeServingSnapshot` needs (`pipeline/artifacts/serving-snapshot.ts` assembles it). */
export interface ServingSnapshotInput {
  dataset: { name: string; format: DatasetFormat };
  build?: BuildInfo;
  spec: FeatureSpec;
  counts: { users: number; ratings: number };
  globalMeanRating: number;
  movies: Pick<
    ServingMovies,
    'ids' | 'titleOffsets' | 'titleBytes' | 'year' | 'genreMask' | 'popularity' | 'meanRating' | 'features' | 'links'
  >;
  visitor: {
    neighbourSums: Float64Array;
    degree: Int32Array;
    ratingMessages: { center: number; scale: number } | null;
    /** The graph's movie-major rater lists (`movieAdjUser`), or null to leave `visitor.raters` out. */
    raters?: Int32Array | null;
  };
  /** numMovies × dim float32; stored as is (`f32`) or rounded to nearest-even halves (`f16`). */
  embedding: { dim: number; dtype: EmbeddingDtype; values: Float32Array };
  /** The weights as the browser reads them from the model file (`readModelParams`); its id embeddings too. */
  params: VisitorParams & Pick<ModelParams, 'movieIdEmbedding'>;
  /** The embeddings' scoring codes, encoded by the build. */
  codes: ServingCodes;
  /**
   * For an int8 model: its id embedding's per-column scale. The id embeddings are then stored as q + 128 in
   * one byte each (every value must be exactly q × scale, as `readModelParams` dequantises them).
   */
  idEmbeddingScale?: Float32Array;
  modelSha256: string;
}
