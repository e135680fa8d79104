/**
 * Where the full forward pass runs, chosen by measured end-to-end cost rather than by the presence of a
 * WebGPU adapter; every threshold is here, with the bench figure it comes from (bench/RESULTS.md). Start-up
 * uses shipped or stored movie embeddings whenever they exist, so this decides only where a pass runs when
 * one is needed (a catalog without shipped embeddings, "browse as" after the visitor's ratings changed the
 * graph) — and therefore which onnxruntime build a visitor downloads at all. Pure: no DOM imports.
 */
import type { Backend } from '../../src/core/api.ts';

/** What the bench measured for each runtime build (gzip bytes of its wasm; ms; ms per million edges). */
export const MEASURED = {
  /** ort-wasm-simd-threaded.wasm, gzip level 6. */
  wasmDownloadBytes: 3_678_435,
  /** ort-wasm-simd-threaded.asyncify.wasm (the WebGPU build), gzip level 6. */
  webgpuDownloadBytes: 6_667_866,
  /** WASM: first pass on ML-100K (session creation + first run), bench §1 reference warm-up: 642 ms. */
  wasmSessionMs: 600,
  /** WASM forward: 35 ms at 0.1 M edges, 600 ms at 0.99 M (bench §2): about 0.6 s per million edges. */
  wasmMsPerMillionEdges: 600,
  /** WASM ran out of memory (std::bad_alloc) at 4.95 M edges and succeeded at 0.99 M (bench §2). */
  wasmMaxEdges: 2_000_000,
} as const;

/**
 * Below this many edges WebGPU is not used even with a hardware adapter: the WebGPU build costs 3 MB more
 * to download (2.4 s at 10 Mbit/s) than the whole WASM pass takes up to here (≈ 1.2 s plus session), and the
 * scatter-heavy small graphs ran slower on every WebGPU adapter measured (bench §2: 36× on SwiftShader). No
 * hardware GPU has been measured here, so WebGPU is chosen only where WASM cannot run the pass at all.
 */
export const WEBGPU_MIN_EDGES = MEASURED.wasmMaxEdges;

export interface BackendDecision {
  backend: Backend;
  /** Plain language, for the status panel. */
  reason: string;
}

export interface PolicyInput {
  /** Ratings in the graph a pass would run over. */
  edges: number;
  /** The WebGPU adapter, null when the browser has none; `software` for a fallback (CPU-emulated) adapter. */
  adapter: { software: boolean } | null;
  /** `?backend=`: forces one (testing). */
  forced?: Backend | null;
}

/** Estimated seconds of a WASM pass from scratch on a link of `bitsPerSecond` (download + session + run). */
export function wasmPassSeconds(edges: number, bitsPerSecond: number): number {
  return (
    (MEASURED.wasmDownloadBytes * 8) / bitsPerSecond +
    (MEASURED.wasmSessionMs + (edges / 1e6) * MEASURED.wasmMsPerMillionEdges) / 1000
  );
}

export function chooseBackend({ edges, adapter, forced }: PolicyInput): BackendDecision {
  const count = edges.toLocaleString('en-US');
  if (forced === 'wasm') return { backend: 'wasm', reason: 'WebAssembly, as requested (?backend=wasm)' };
  if (forced === 'webgpu') return { backend: 'webgpu', reason: 'WebGPU, as requested (?backend=webgpu)' };
  // Decided by size first: below the threshold no adapter is even asked for (start-up does not probe).
  if (edges < WEBGPU_MIN_EDGES) {
    return {
      backend: 'wasm',
      reason: `WebAssembly: at ${count} ratings it is faster end to end than WebGPU (smaller download, no GPU set-up)`,
    };
  }
  if (!adapter) return { backend: 'wasm', reason: 'WebAssembly: this browser has no WebGPU adapter' };
  if (adapter.software) {
    return { backend: 'wasm', reason: 'WebAssembly: the WebGPU adapter is a software (CPU) one, 36× slower here' };
  }
  return {
    backend: 'webgpu',
    reason: `WebGPU: ${count} ratings is beyond what the WebAssembly build can hold in memory`,
  };
}

/**
 * The fp32 model file size past which int8 weights are the default: at ML-100K size (0.3 MB) fp32 costs
 * nothing worth saving; at ML-32M size its movie id embeddings alone are 11 MB, against 2.8 MB in int8, whose
 * ranking is within noise of fp32 (bench §6: Recall@20 −0.001 on ML-100K).
 */
export const INT8_ABOVE_MODEL_BYTES = 4 * 1024 * 1024;

/** int8 weights when asked for (`?model=int8`), else unless fp32 is asked for: when saving data or fp32 is large. */
export function preferInt8(o: { requested?: 'fp32' | 'int8'; saveData: boolean; fp32Bytes: number | null }): boolean {
  if (o.requested !== undefined) return o.requested === 'int8';
  return o.saveData || (o.fp32Bytes !== null && o.fp32Bytes > INT8_ABOVE_MODEL_BYTES);
}
