/**
 * What the page can ask the inference worker: the API object that `inference.worker.ts` exposes through
 * comlink. The implementation is the engine (`engine.ts`); this module only names the contract.
 */
import type {
  EngineStatus,
  InitOptions,
  LoadProgress,
  MovieSummary,
  RecommendRequest,
  RecommendResult,
  TasteMap,
  VisitorRating,
} from '../src/core/api.ts';

export interface WorkerInfo {
  /** Always 'cinesage-worker': lets the page check it talks to the right worker. */
  kind: 'cinesage-worker';
  /** Whether this worker sees a WebGPU implementation at all (`navigator.gpu`). */
  hasWebGPU: boolean;
  crossOriginIsolated: boolean;
}

export interface RatedMovie extends MovieSummary, VisitorRating {}

export interface InferenceService {
  /** Answers at once: proves the worker loaded and runs. */
  ping(): Promise<WorkerInfo>;
  /**
   * Downloads and verifies the artifacts, starts the model, loads or computes the embeddings and re-applies
   * the visitor's stored ratings. Resolves when the first recommendation needs no forward pass. Calling it
   * again with the same options returns the current status.
   */
  init(options: InitOptions, onProgress?: (event: LoadProgress) => void): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  genres(): Promise<string[]>;
  yearRange(): Promise<[number, number]>;
  searchMovies(query: string, limit?: number): Promise<MovieSummary[]>;
  /** Most-rated movies first, optionally of one genre. */
  browseMovies(options?: { genre?: string; limit?: number; offset?: number }): Promise<MovieSummary[]>;
  getRatings(): Promise<RatedMovie[]>;
  /** Rates (or re-rates) a movie for the visitor; whole or half stars 0.5–5 as the data set allows. */
  rate(movieId: number, stars: number): Promise<void>;
  removeRating(movieId: number): Promise<void>;
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
  /**
   * Benchmark only (bench/run.ts): what the reference server does on every rating, run here without
   * changing anything. It adds the rating to a copy of the graph, materialises the whole graph (the
   * rebuild), runs a full forward pass on this engine's ORT session and scores the visitor's top-20
   * against it. The visitor's state, storage and counters are left as they were.
   */
  benchReferenceRating(movieId: number, stars: number): Promise<ReferenceRatingTimings>;
}

/** Timings of one reference-style rating (`benchReferenceRating`), ms, and the top-20 it produced. */
export interface ReferenceRatingTimings {
  rebuildMs: number;
  /** Building the model's feeds (index tensors) from the rebuilt graph. */
  feedsMs: number;
  /** session.run + output download. */
  forwardMs: number;
  scoreMs: number;
  totalMs: number;
  backend: string;
  /** Movie ids of the top-20, best first. */
  top: number[];
}
