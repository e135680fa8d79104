/**
 * Runs the model's full-graph forward pass with onnxruntime-web. The runtime is imported and the session
 * created only when a pass is needed (a visitor with shipped or stored embeddings never downloads it), on
 * the backend the policy chose at start-up (backend-policy.ts); if WebGPU fails — at creation or later,
 * e.g. a lost device — it falls back to WASM once and says why.
 */
import type { Backend } from '../../src/core/api.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import {
  type AdapterInfo,
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

/** The model file's bytes and weights, downloaded on first call (memoised by the caller). */
export type ModelSource = () => Promise<{ modelBytes: Uint8Array; params: ModelParams }>;

/** Where passes will run and why (backend-policy.ts), and the adapter to use for WebGPU. */
export interface BackendPlan {
  backend: Backend;
  reason: string;
  adapter: AdapterInfo | null;
}

export class ForwardRunner {
  #plan: BackendPlan;
  #choice: Promise<BackendChoice> | null = null;
  #session: Promise<OrtSession> | null = null;
  readonly #model: ModelSource;
  /** Set when the runner had to leave WebGPU. */
  fallbackReason: string | null = null;

  /** `model` is called (once per session) only when a pass runs: the model file is not on the visitor path. */
  constructor(plan: BackendPlan, model: ModelSource) {
    this.#plan = plan;
    this.#model = model;
  }

  get backend(): Backend {
    return this.#plan.backend;
  }

  get reason(): string {
    return this.fallbackReason ?? this.#plan.reason;
  }

  /** True once the runtime has been loaded (a pass ran or is running). */
  get loaded(): boolean {
    return this.#choice !== null;
  }

  #sessionFor(): Promise<OrtSession> {
    if (!this.#session) {
      const { backend, adapter } = this.#plan;
      this.#choice ??= selectBackend({ preferWebGPU: backend === 'webgpu', adapterInfo: adapter });
      this.#session = this.#choice
        .then((choice) => {
          pointOrtAtItsWasm(choice.ort, choice.backend);
          return this.#model().then(({ modelBytes }) => createSession(modelBytes, choice));
        })
        .catch((err) => {
          this.#session = null;
          throw err;
        });
    }
    return this.#session;
  }

  #fallBackToWasm(cause: Error): void {
    this.fallbackReason = `WebGPU failed (${cause.message}); running on WebAssembly instead`;
    this.#plan = { ...this.#plan, backend: 'wasm', adapter: null };
    this.#choice = null;
    this.#session = null;
  }

  /** One full forward over `graph`. */
  async run(graph: RatingGraph): Promise<FullPass> {
    const feeds = buildGraphFeeds(graph, (await this.#model()).params);
    try {
      const out = await runFullForward(await this.#sessionFor(), feeds);
      return { ...out, backend: this.#plan.backend };
    } catch (err) {
      if (this.#plan.backend !== 'webgpu') throw err;
      this.#fallBackToWasm(err as Error);
      const out = await runFullForward(await this.#sessionFor(), feeds);
      return { ...out, backend: this.#plan.backend };
    }
  }

  async release(): Promise<void> {
    const s = await this.#session?.catch(() => null);
    await s?.session.release();
    this.#session = null;
  }
}
