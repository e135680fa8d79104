/**
 * Runs the model's full-graph forward pass with onnxruntime-web. The session is created only when a pass
 * is needed (a returning visitor with cached embeddings never loads the runtime's wasm), on the backend
 * chosen at start-up; if WebGPU fails — at creation or later, e.g. a lost device — it falls back to WASM
 * once and says why.
 */
import type { Backend } from '../../src/core/api.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import {
  type BackendChoice,
  buildGraphFeeds,
  createSession,
  type OrtSession,
  runFullForward,
  selectBackend,
} from './ort-session.ts';
import { pointOrtAtItsWasm } from './ort-wasm-paths.ts';

export interface FullPass {
  userEmb: Float32Array;
  movieEmb: Float32Array;
  dim: number;
  ms: number;
  backend: Backend;
}

export class ForwardRunner {
  #choice: BackendChoice;
  #session: Promise<OrtSession> | null = null;
  readonly #modelBytes: Uint8Array;
  readonly #params: ModelParams;
  /** Set when the runner had to leave WebGPU. */
  fallbackReason: string | null = null;

  constructor(choice: BackendChoice, modelBytes: Uint8Array, params: ModelParams) {
    this.#choice = choice;
    this.#modelBytes = modelBytes;
    this.#params = params;
  }

  get backend(): Backend {
    return this.#choice.backend;
  }

  get reason(): string {
    return this.fallbackReason ?? this.#choice.reason;
  }

  #sessionFor(): Promise<OrtSession> {
    if (!this.#session) {
      pointOrtAtItsWasm(this.#choice.ort, this.#choice.backend);
      this.#session = createSession(this.#modelBytes, this.#choice).catch((err) => {
        this.#session = null;
        throw err;
      });
    }
    return this.#session;
  }

  async #fallBackToWasm(cause: Error): Promise<void> {
    this.fallbackReason = `WebGPU failed (${cause.message}); running on WebAssembly instead`;
    this.#choice = await selectBackend({ preferWebGPU: false });
    this.#session = null;
  }

  /** One full forward over `graph`. */
  async run(graph: RatingGraph): Promise<FullPass> {
    const feeds = buildGraphFeeds(graph, this.#params);
    try {
      const out = await runFullForward(await this.#sessionFor(), feeds);
      return { ...out, backend: this.#choice.backend };
    } catch (err) {
      if (this.#choice.backend !== 'webgpu') throw err;
      await this.#fallBackToWasm(err as Error);
      const out = await runFullForward(await this.#sessionFor(), feeds);
      return { ...out, backend: this.#choice.backend };
    }
  }

  async release(): Promise<void> {
    const s = await this.#session?.catch(() => null);
    await s?.session.release();
    this.#session = null;
  }
}
