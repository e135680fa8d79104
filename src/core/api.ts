/**
 * The types that cross between the page (site or widget) and the inference worker: the recommender's
 * state, movies, ratings, recommendation requests and results. Pure types only, shared by both sides.
 */
import type { ModelVariant } from './model/onnx-contract.ts';

export type ReadyState = 'loading' | 'ready' | 'degraded' | 'error';
/** The ONNX Runtime execution provider a session runs on. */
export type Backend = 'webgpu' | 'wasm';

export interface ArtifactInfo {
  name: string;
  size: number;
  sha256: string;
}

export interface EngineStatus {
  state: ReadyState;
  /** Plain-language reason for 'degraded' or 'error' (and what is going on while 'loading'). */
  reason: string | null;
  /** The error's class name when state is 'error'. */
  errorName: string | null;
  backend: Backend | null;
  /** Why this backend runs, e.g. "no WebGPU adapter in this browser". */
  backendReason: string | null;
  modelVariant: ModelVariant | null;
  dataset: string | null;
  artifacts: ArtifactInfo[];
  counts: { users: number; movies: number; ratings: number } | null;
  /** Where the item embeddings came from on start-up. */
  embeddingSource: 'indexeddb' | 'computed' | null;
  /** Full forward passes run in this worker's lifetime. */
  fullForwardPasses: number;
  timings: {
    initMs: number | null;
    lastFullForwardMs: number | null;
    lastUpdateMs: number | null;
    lastScoringMs: number | null;
  };
  storage: { mode: 'indexeddb' | 'memory'; reason: string | null; usageBytes: number | null };
  visitorRatings: number;
  /** The catalog's star step: 1 for whole stars (ML-100K), 0.5 for half stars (the "latest" format). */
  ratingStep: number | null;
  /** True when this start-up found different artifacts than the last one on this device (a new version). */
  artifactsChanged: boolean;
}

/** Start-up progress of the recommender (downloads, then setup steps), reported by the worker's `init`. */
export interface LoadProgress {
  /** 'download' per file; 'setup' for session creation, embeddings and the like. */
  phase: 'download' | 'setup';
  file?: string;
  loaded?: number;
  total?: number;
  cached?: boolean;
  message: string;
}

/**
 * @deprecated Use `LoadProgress` (this name shadows the DOM's `ProgressEvent`). Kept only until
 * src/ui/loading-screen.ts switches to `LoadProgress`; then delete it.
 */
export type ProgressEvent = LoadProgress;

export interface MovieSummary {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
  /** Number of ratings in the snapshot. */
  popularity: number;
  meanRating: number | null;
}

export interface Recommendation extends MovieSummary {
  score: number;
  predictedRating: number;
  /** Rated movies that contributed most to this recommendation, best first. */
  because: { movieId: number; title: string }[];
}

export interface RecommendRequest {
  /** A data set user id ("browse as"); the visitor when absent. */
  userId?: number;
  /** How many recommendations (default 20, clamped to 1–500). */
  n?: number;
  /** Hide movies the user rated (default true). */
  excludeRated?: boolean;
  /**
   * Hide movies the user rated below 3 stars (default true). Has an effect only with `excludeRated: false`,
   * since `excludeRated` already hides every rated movie.
   */
  excludeLowRated?: boolean;
  /** Only movies with at least one of these genres. */
  genres?: string[];
  /** Inclusive release-year range. */
  years?: [number, number];
  /** Only movies with at least this many ratings. */
  minPopularity?: number;
}

export interface RecommendResult {
  items: Recommendation[];
  /** Whom the list is for, as shown: 'you' (the visitor) or 'MovieLens user 42'. */
  forUser: string;
  /** True when there were no ratings to go on and the list is the most popular movies. */
  popularFallback: boolean;
  scoringMs: number;
  /** The visitor's (or user's) position on the taste map. */
  position: [number, number] | null;
}

/**
 * One rating of the visitor: what the worker keeps in IndexedDB (src/storage/profile-store.ts), what a
 * profile file holds (src/core/profile-io.ts) and what the page is shown.
 */
export interface VisitorRating {
  /** Data set movie id. */
  movieId: number;
  stars: number;
  /** Unix milliseconds of the last change. */
  time: number;
}

export interface TasteMap {
  movieIds: Int32Array;
  titles: string[];
  /** x, y per movie. */
  points: Float32Array;
  visitor: [number, number] | null;
}

export interface InitOptions {
  /** Base URL of manifest.json and the artifacts. */
  artifactsUrl: string;
  /** 'auto' probes for a WebGPU adapter; 'wasm' forces the WASM backend. */
  backend?: 'auto' | 'wasm' | 'webgpu';
  /** IndexedDB name of the profile (the widget namespaces its own). */
  storeName?: string;
  /** 'int8' asks for the smaller weight-only quantised model (default: only when the browser saves data). */
  modelVariant?: 'fp32' | 'int8';
  /** Keep verified artifacts in the Cache API (for the widget, which has no service worker). */
  useCacheApi?: boolean;
}
