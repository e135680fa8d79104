/**
 * The single onnxruntime-web adapter (browser worker and Node): picks the backend (WebGPU when the
 * browser has an adapter, else WASM; each build is dynamically imported, so a visitor downloads one),
 * picks the model variant, creates the session with the settings listed below (and in pipeline/onnx/README.md
 * § ORT facts used), turns a rating
 * graph into the model's feeds (every int64 tensor computed here, never in the graph) and runs the
 * full-graph forward.
 *
 * ORT traps handled here: the CPU EP's ScatterND races with > 1 thread, so `env.wasm.numThreads = 1`
 * (set before the first session; it is also what a page without cross-origin isolation gets); the
 * native WebGPU EP comes from `onnxruntime-web/webgpu`, never the default (JSEP) export; tests pass
 * `disableCpuFallback` to prove every node runs on the GPU EP.
 */
import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../../src/core/api.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { MODEL_INPUTS, MODEL_OUTPUTS, type ModelVariant } from '../../src/core/model/onnx-contract.ts';
import { edgeSigns } from '../../src/core/model/ops.ts';
import type { ModelParams } from '../../src/core/model/params.ts';

export type OrtModule = typeof Ort;

/** What is known of the WebGPU adapter: its feature names (e.g. 'shader-f16'). */
export interface AdapterInfo {
  features: Iterable<string>;
  description?: string;
  /** A fallback adapter (the browser emulating a GPU on the CPU, e.g. SwiftShader). */
  software?: boolean;
}

export interface BackendChoice {
  backend: Backend;
  ort: OrtModule;
  hasShaderF16: boolean;
  /** Why this backend (shown in the UI's status and the benchmark report). */
  reason: string;
}

interface GpuAdapterInfo {
  description?: string;
  vendor?: string;
  architecture?: string;
  isFallbackAdapter?: boolean;
}

interface NavigatorGpu {
  gpu?: {
    requestAdapter(): Promise<{
      features: Iterable<string>;
      info?: GpuAdapterInfo;
      isFallbackAdapter?: boolean;
    } | null>;
  };
}

/** Asks the browser for a WebGPU adapter; null when there is none (headless without flags, Node, old browsers). */
export async function probeWebGPU(): Promise<AdapterInfo | null> {
  const nav = (globalThis as { navigator?: NavigatorGpu }).navigator;
  if (!nav?.gpu) return null;
  try {
    const adapter = await nav.gpu.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const names = `${info.description ?? ''} ${info.vendor ?? ''} ${info.architecture ?? ''}`;
    const software =
      info.isFallbackAdapter === true ||
      adapter.isFallbackAdapter === true ||
      /swiftshader|llvmpipe|software/i.test(names);
    return { features: [...adapter.features], description: info.description, software };
  } catch {
    return null;
  }
}

/**
 * Chooses WebGPU when preferred and an adapter exists (probed unless `adapterInfo` is given; pass null
 * to mean "no adapter"), else WASM, and imports that build of onnxruntime-web.
 */
export async function selectBackend(
  opts: { preferWebGPU?: boolean; adapterInfo?: AdapterInfo | null } = {},
): Promise<BackendChoice> {
  const prefer = opts.preferWebGPU ?? true;
  const info = prefer ? (opts.adapterInfo === undefined ? await probeWebGPU() : opts.adapterInfo) : null;
  if (info) {
    const ort = (await import('onnxruntime-web/webgpu')) as OrtModule;
    const hasShaderF16 = [...info.features].includes('shader-f16');
    return {
      backend: 'webgpu',
      ort,
      hasShaderF16,
      reason: `WebGPU adapter${info.description ? ` (${info.description})` : ''}`,
    };
  }
  const ort = (await import('onnxruntime-web/wasm')) as OrtModule;
  return { backend: 'wasm', ort, hasShaderF16: false, reason: prefer ? 'no WebGPU adapter' : 'WebGPU not requested' };
}

/** fp16 only on WebGPU with `shader-f16` (the native EP throws without it); int8 when asked to save bytes; else fp32. */
export function chooseVariant(opts: { hasShaderF16: boolean; backend: Backend; preferSmall?: boolean }): ModelVariant {
  if (opts.backend === 'webgpu' && opts.hasShaderF16) return 'fp16';
  return opts.preferSmall ? 'int8' : 'fp32';
}

export interface OrtSession {
  session: Ort.InferenceSession;
  ort: OrtModule;
  backend: Backend;
}

export interface SessionOptions {
  /** Make session creation throw if any node would run on the CPU EP (tests of the WebGPU path). */
  disableCpuFallback?: boolean;
}

export async function createSession(
  modelBytes: Uint8Array,
  choice: Pick<BackendChoice, 'backend' | 'ort'>,
  opts: SessionOptions = {},
): Promise<OrtSession> {
  const { ort, backend } = choice;
  // ScatterND on the CPU EP races with more than one thread; the WebGPU build's CPU part too. The only
  // place the thread count is set (workers/runtime/ort-wasm-paths.ts relies on it).
  ort.env.wasm.numThreads = 1;
  const session: Record<string, string> = {
    // Keep DequantizeLinear → MatMul exact: no fusion into an activation-quantising MatMulNBits.
    // (`extra` keys are flattened with their group: this is `session.qdq_matmulnbits_accuracy_level`.)
    qdq_matmulnbits_accuracy_level: '0',
  };
  if (opts.disableCpuFallback) session.disable_cpu_ep_fallback = '1';
  const created = await ort.InferenceSession.create(modelBytes, {
    executionProviders: [backend === 'webgpu' ? 'webgpu' : 'wasm'],
    graphOptimizationLevel: 'all',
    // The calibration's unused initializer would otherwise log a warning on every load.
    logSeverityLevel: 3,
    extra: { session },
  });
  return { session: created, ort, backend };
}

type FeedArray = Float32Array | BigInt64Array;
/** Model inputs by name, as plain typed arrays with dims (converted to the session's Tensor class at run time). */
export type GraphFeeds = Record<string, { data: FeedArray; dims: number[] }>;

/**
 * The model's inputs for a rating graph: features, movie index (rows of the id embedding; identity by
 * default), edge index tensors per direction (sources [E] for Gather, destinations [E,1] for ScatterND,
 * each direction sorted by destination), inverse degrees (0 for isolated nodes) and, for a model with
 * rating-aware messages, each message's signed weight.
 */
export function buildGraphFeeds(
  graph: RatingGraph,
  params: Pick<ModelParams, 'userFeatureDim' | 'movieFeatureDim' | 'numMovies' | 'config'>,
  opts: { movieIndex?: Int32Array } = {},
): GraphFeeds {
  const U = graph.numUsers;
  const M = graph.numMovies;
  const E = graph.numEdges;
  if (graph.userFeatureDim !== params.userFeatureDim || graph.movieFeatureDim !== params.movieFeatureDim) {
    throw new Error(
      `graph features (${graph.userFeatureDim}, ${graph.movieFeatureDim}) do not match the model (${params.userFeatureDim}, ${params.movieFeatureDim})`,
    );
  }
  const movieIndex = opts.movieIndex ?? Int32Array.from({ length: M }, (_, i) => i);
  if (movieIndex.length !== M) throw new Error('movieIndex needs one entry per movie');
  if (params.config.movieIdEmbeddingDim > 0) {
    for (const m of movieIndex) {
      if (m < 0 || m >= params.numMovies)
        throw new RangeError(`movie index ${m} outside the model's ${params.numMovies} movies`);
    }
  }

  // movie → user messages, user-major (sorted by destination user).
  const m2uSrc = new BigInt64Array(E);
  const m2uDst = new BigInt64Array(E);
  const userInv = new Float32Array(U);
  for (let u = 0; u < U; u++) {
    const a = graph.userPtr[u];
    const b = graph.userPtr[u + 1];
    userInv[u] = b > a ? 1 / (b - a) : 0;
    for (let e = a; e < b; e++) {
      m2uSrc[e] = BigInt(graph.edgeMovie[e]);
      m2uDst[e] = BigInt(u);
    }
  }
  // user → movie messages, movie-major (sorted by destination movie).
  const signs = edgeSigns(params.config, graph);
  const u2mSrc = new BigInt64Array(E);
  const u2mDst = new BigInt64Array(E);
  const movieInv = new Float32Array(M);
  for (let m = 0; m < M; m++) {
    const a = graph.moviePtr[m];
    const b = graph.moviePtr[m + 1];
    movieInv[m] = b > a ? 1 / (b - a) : 0;
    for (let k = a; k < b; k++) {
      u2mSrc[k] = BigInt(graph.movieAdjUser[k]);
      u2mDst[k] = BigInt(m);
    }
  }

  const I = MODEL_INPUTS;
  const feeds: GraphFeeds = {
    [I.userFeatures]: { data: graph.userFeatures, dims: [U, graph.userFeatureDim] },
    [I.m2uSrc]: { data: m2uSrc, dims: [E] },
    [I.m2uDst]: { data: m2uDst, dims: [E, 1] },
    [I.u2mSrc]: { data: u2mSrc, dims: [E] },
    [I.u2mDst]: { data: u2mDst, dims: [E, 1] },
    [I.userInvDeg]: { data: userInv, dims: [U, 1] },
    [I.movieInvDeg]: { data: movieInv, dims: [M, 1] },
  };
  if (signs) {
    feeds[I.m2uSign] = { data: signs.user, dims: [E, 1] };
    feeds[I.u2mSign] = { data: signs.movie, dims: [E, 1] };
  }
  if (graph.movieFeatureDim > 0)
    feeds[I.movieFeatures] = { data: graph.movieFeatures, dims: [M, graph.movieFeatureDim] };
  if (params.config.movieIdEmbeddingDim > 0) {
    feeds[I.movieIndex] = { data: BigInt64Array.from(movieIndex, (m) => BigInt(m)), dims: [M] };
  }
  return feeds;
}

export interface ForwardOutput {
  userEmb: Float32Array;
  movieEmb: Float32Array;
  /** Embedding width D. */
  dim: number;
  backend: Backend;
  /** Wall time of `session.run` (tensor wrapping and output download included). */
  ms: number;
}

/** Runs the full-graph forward; feeds the session does not declare are ignored. */
export async function runFullForward(s: OrtSession, feeds: GraphFeeds): Promise<ForwardOutput> {
  const inputs: Record<string, Ort.Tensor> = {};
  for (const name of s.session.inputNames) {
    const f = feeds[name];
    if (!f) throw new Error(`model input ${name} has no feed`);
    inputs[name] = new s.ort.Tensor(f.data instanceof Float32Array ? 'float32' : 'int64', f.data, f.dims);
  }
  const t0 = performance.now();
  const out = await s.session.run(inputs);
  const user = out[MODEL_OUTPUTS.user];
  const movie = out[MODEL_OUTPUTS.movie];
  const userEmb = (await user.getData()) as Float32Array;
  const movieEmb = (await movie.getData()) as Float32Array;
  const ms = performance.now() - t0;
  const dim = Number(movie.dims[1]);
  for (const t of Object.values(out)) t.dispose();
  return { userEmb, movieEmb, dim, backend: s.backend, ms };
}

export interface OpenedModel {
  session: OrtSession;
  variant: ModelVariant;
  hasShaderF16: boolean;
  /** Why this backend; names the WebGPU error when it fell back to WASM. */
  reason: string;
}

/**
 * What the worker calls: selects the backend, picks the variant, loads those model bytes and creates the
 * session; if WebGPU session creation fails (device lost, unsupported op), falls back to WASM (and to
 * the non-fp16 variant) and says why.
 */
export async function openModel(
  loadModel: (variant: ModelVariant) => Promise<Uint8Array>,
  opts: { preferWebGPU?: boolean; preferSmall?: boolean; adapterInfo?: AdapterInfo | null } = {},
): Promise<OpenedModel> {
  const choice = await selectBackend(opts);
  const variant = chooseVariant({ ...choice, preferSmall: opts.preferSmall });
  try {
    const session = await createSession(await loadModel(variant), choice);
    return { session, variant, hasShaderF16: choice.hasShaderF16, reason: choice.reason };
  } catch (err) {
    if (choice.backend !== 'webgpu') throw err;
    const wasm = await selectBackend({ preferWebGPU: false });
    const fallback = chooseVariant({ ...wasm, preferSmall: opts.preferSmall });
    const session = await createSession(await loadModel(fallback), wasm);
    const why = err instanceof Error ? err.message : String(err);
    return {
      session,
      variant: fallback,
      hasShaderF16: false,
      reason: `WebGPU failed (${why.slice(0, 200)}); using WASM`,
    };
  }
}
