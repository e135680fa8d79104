/**
 * What bench/run.ts asks the benchmark page (bench/page/main.ts) to do, and what it answers: the shapes of
 * `window.cinesageBench`'s calls. Types only.
 */
import type { ModelVariant } from '../../src/core/model/onnx-contract.ts';

/** 'ml-100k' is the real snapshot graph; anything else is synthetic (items, users, edges, seed). */
export interface GraphConfig {
  name: string;
  /** Set for a synthetic graph; absent: the served artifacts' real catalog. */
  items?: number;
  users?: number;
  edges?: number;
  seed?: number;
}

export interface DegreeSummary {
  max: number;
  median: number;
  /** Share of nodes without edges. */
  isolated: number;
}

export interface PreparedGraph {
  name: string;
  users: number;
  items: number;
  edges: number;
  userFeatureDim: number;
  movieFeatureDim: number;
  /** Model widths: x_m, hidden, out, embedding D. */
  movieInputDim: number;
  hiddenDim: number;
  outDim: number;
  dim: number;
  /** Generating the synthetic graph (0 for the snapshot). */
  generateMs: number;
  /** Building the model's feeds (int64 index tensors, inverse degrees): paid before every ORT pass. */
  feedsMs: number;
  userDegree: DegreeSummary;
  itemDegree: DegreeSummary;
}

export type ForwardBackend = 'wasm' | 'webgpu' | 'ts';

export interface ForwardRequest {
  backend: ForwardBackend;
  variant: ModelVariant;
  /** Timed runs after one warm-up run, fewer when the budget runs out (at least one). */
  runs: number;
  budgetMs: number;
  /** Keep this run's embeddings for `scoring`. */
  keep?: boolean;
}

export interface ForwardResult {
  backend: ForwardBackend;
  variant: ModelVariant;
  ok: boolean;
  /** Why it did not run (no adapter, out of memory, …). */
  reason?: string;
  /** Backend the session really used and why (the adapter's description for WebGPU). */
  detail?: string;
  createMs?: number;
  /** The warm-up run (shader compilation, JIT, first allocation). */
  firstMs?: number;
  /** session.run + output download (ORT) or `forward()` (TS), per timed run. */
  runsMs: number[];
}

export interface ScoringRequest {
  /** Query users (seeded choice among users with ratings), each excluding what they rated. */
  queries: number;
  /** Timed repeats of each query. */
  repeats: number;
  /** nprobe settings for the ANN, as multiples of its default. */
  probeFactors: number[];
}

export interface AnnSetting {
  nprobe: number;
  /** Per-query medians, ms. */
  ms: number[];
  meanRecall: number;
  minRecall: number;
  /** Share of the catalog whose approximate score was taken. */
  scannedShare: number;
}

export interface ScoringResult {
  items: number;
  dim: number;
  /** Per-query medians of exact top-20 (score every non-excluded item, heap top-N), ms. */
  exactMs: number[];
  ann: { buildMs: number; bytes: number; lists: number; settings: AnnSetting[] };
}

export interface BenchApi {
  load(artifactsUrl: string): Promise<{ userFeatureDim: number; movieFeatureDim: number; numMovies: number }>;
  prepare(config: GraphConfig): Promise<PreparedGraph>;
  forward(request: ForwardRequest): Promise<ForwardResult>;
  scoring(request: ScoringRequest): Promise<ScoringResult>;
}
