/**
 * The page↔worker contract, the one module both sides import: the types that cross between the page (site
 * or widget) and the inference worker (the recommender's state, movies, ratings, recommendation requests
 * and results), the service the worker exposes through comlink (`InferenceService`, implemented in
 * workers/engine/) and which of its calls change the visitor's profile (`PROFILE_CHANGING_CALLS`). Pure:
 * types and one constant, no DOM, worker or Node code.
 */
import type { ModelVariant } from './model/onnx-contract.ts';

/**
 * 'personalising': the catalog is open (popular list, search, rating all work) and the personal
 * recommendations follow as soon as the model and the movie embeddings are in.
 */
export type ReadyState = 'loading' | 'personalising' | 'ready' | 'degraded' | 'error';
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
  /**
   * Where the movie embeddings came from on start-up: stored on this device, shipped with the site
   * (verified against the snapshot and model), or computed by a full pass here; 'codes' while the first
   * personal lists are scored against the serving snapshot's compact codes (the exact embeddings are
   * still downloading).
   */
  embeddingSource: 'indexeddb' | 'shipped' | 'codes' | 'computed' | null;
  /** Full forward passes run in this worker's lifetime. */
  fullForwardPasses: number;
  timings: {
    /** Worker start → catalog open (the popular list can be shown), ms. */
    catalogMs: number | null;
    /** Worker start → the first personal list possible (approximate with a serving snapshot), ms. */
    personalMs: number | null;
    /** Worker start → exact personal recommendations, ms. */
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

export interface MovieSummary {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
  /** Number of ratings in the snapshot. */
  popularity: number;
  meanRating: number | null;
  /**
   * The movie's IMDb page (`https://www.imdb.com/title/tt…/`) where the data set links it (`links.csv`),
   * else null. Shown as an ordinary link; nothing is fetched from it. Optional only so that hand-made
   * summaries (test fixtures) may leave it out; the catalog always sets it.
   */
  imdbUrl?: string | null;
  /** The movie's TMDB page (`https://www.themoviedb.org/movie/…`), like `imdbUrl`. */
  tmdbUrl?: string | null;
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
  /**
   * True when the list is the popular one because the model is still on its way (start-up); the personal
   * list follows without a reload.
   */
  personalising?: boolean;
  /**
   * True when the list was scored against compact codes of the movie embeddings while the exact ones
   * download (the visitor's own embedding is exact); the exact list follows without a reload.
   */
  approximate?: boolean;
  scoringMs: number;
  /** The visitor's (or user's) position on the taste map. */
  position: [number, number] | null;
}

/**
 * One rating of the visitor: what the worker keeps in IndexedDB (workers/storage/profile-store.ts), what a
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

export interface WorkerInfo {
  /** Always 'cinesage-worker': lets the page check it talks to the right worker. */
  kind: 'cinesage-worker';
  /** Whether this worker sees a WebGPU implementation at all (`navigator.gpu`). */
  hasWebGPU: boolean;
  crossOriginIsolated: boolean;
}

export interface RatedMovie extends MovieSummary, VisitorRating {}

/**
 * Everything the page repaints from after a user action, in one answer: the visitor's ratings (most recent
 * first), the list for the page's request, and the status.
 */
export interface ProfileView {
  ratings: RatedMovie[];
  result: RecommendResult;
  status: EngineStatus;
}

export interface InferenceService {
  /** Answers at once: proves the worker loaded and runs. */
  ping(): Promise<WorkerInfo>;
  /**
   * Downloads and verifies the manifest and the snapshot, opens the catalog and re-applies the visitor's
   * stored ratings; resolves then (state 'personalising': the popular list, search and rating work) and goes
   * on in the background with the model and the movie embeddings (stored, shipped, or one full pass).
   * Calling it again with the same options returns the current status.
   */
  init(options: InitOptions, onProgress?: (event: LoadProgress) => void): Promise<EngineStatus>;
  /** Resolves when exact personal recommendations are possible (rejects with the reason they never will be). */
  whenPersonalised(): Promise<EngineStatus>;
  /** Resolves when the first personal list is possible, approximate or exact (`whenPersonalised` follows). */
  whenPersonal(): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  genres(): Promise<string[]>;
  yearRange(): Promise<[number, number]>;
  searchMovies(query: string, limit?: number): Promise<MovieSummary[]>;
  /** Most-rated movies first, optionally of one genre. */
  browseMovies(options?: { genre?: string; limit?: number; offset?: number }): Promise<MovieSummary[]>;
  getRatings(): Promise<RatedMovie[]>;
  /** The visitor's ratings, the list for `request` and the status in one answer (a page's refresh). */
  view(request?: RecommendRequest): Promise<ProfileView>;
  /**
   * Rates (or re-rates) a movie for the visitor; whole or half stars 0.5–5 as the data set allows. Answers
   * with the view for `request`, so a rating costs the page one round trip.
   */
  rate(movieId: number, stars: number, request?: RecommendRequest): Promise<ProfileView>;
  /** Removes the visitor's rating of a movie (nothing when there is none); answers like `rate`. */
  removeRating(movieId: number, request?: RecommendRequest): Promise<ProfileView>;
  /** Re-reads the visitor's ratings from storage (another tab changed them). Returns true when they changed. */
  syncRatings(): Promise<boolean>;
  /** Replaces the visitor's ratings with a validated JSON export; returns how many were imported. */
  importRatings(json: string): Promise<number>;
  exportRatings(): Promise<string>;
  resetProfile(): Promise<void>;
  recommend(request?: RecommendRequest): Promise<RecommendResult>;
  /** One forward pass at most, then one scoring per user. */
  recommendBatch(userIds: number[], n?: number): Promise<RecommendResult[]>;
  predictRating(movieId: number, userId?: number): Promise<number>;
  /** Some data set user ids to "browse as" (most active first). */
  sampleUsers(limit?: number): Promise<number[]>;
  tasteMap(): Promise<TasteMap>;
}

/**
 * The calls that change the visitor's profile: after one of them the page's client tells other tabs
 * (BroadcastChannel) and its own listeners (`ratings-changed`).
 */
export const PROFILE_CHANGING_CALLS = ['rate', 'removeRating', 'importRatings', 'resetProfile'] as const;
