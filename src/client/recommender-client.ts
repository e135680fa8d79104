/**
 * The page's handle on the recommender: one inference worker behind `WorkerClient`, initialised with the
 * artifacts URL, re-initialised automatically after a crash (the visitor's ratings live in IndexedDB, so
 * nothing is lost), and observable through events: `status`, `progress`, `ratings-changed` (also fired
 * when another tab changed the shared profile) and `personalised` (the model is in: lists shown before it
 * were the popular list and should be asked for again). The site and every widget on a page share one instance
 * per artifacts URL and store (`getRecommenderClient`).
 */

import {
  type EngineStatus,
  type InferenceService,
  type InitOptions,
  type LoadProgress,
  PROFILE_CHANGING_CALLS,
} from '../core/api.ts';
import { WorkerClient } from './worker-client.ts';
import { startInferenceWorker, type WorkerFactory } from './worker-factory.ts';

export class RecommenderClient extends EventTarget {
  readonly options: Required<Pick<InitOptions, 'artifactsUrl' | 'storeName'>> & InitOptions;
  readonly worker: WorkerClient<InferenceService>;
  #ready: Promise<EngineStatus> | null = null;
  #personalised: Promise<EngineStatus> | null = null;
  /** The worker generation `#ready` belongs to: a replaced worker must be initialised again. */
  #readyGeneration = -1;
  #status: EngineStatus | null = null;
  #channel: BroadcastChannel | null = null;

  constructor(options: InitOptions, createWorker: WorkerFactory = startInferenceWorker) {
    super();
    this.options = { storeName: 'cinesage', ...options };
    this.worker = new WorkerClient<InferenceService>(createWorker, {
      timeoutMs: 10 * 60_000,
      onRestart: () => {
        this.#ready = null;
        void this.ready().catch(() => undefined);
      },
    });
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(`${this.options.storeName}-profile`);
      this.#channel.onmessage = () => void this.#syncFromOtherTab();
    }
  }

  get status(): EngineStatus | null {
    return this.#status;
  }

  /**
   * Starts (once) and resolves with the status as soon as the catalog is open: the popular list, search and
   * rating work from then on; `personalised()` says when the personal recommendations do.
   */
  ready(): Promise<EngineStatus> {
    if (!this.#ready || this.#readyGeneration !== this.worker.generation) {
      this.#readyGeneration = this.worker.generation;
      this.#personalised = null;
      const onProgress = WorkerClient.callback((event: LoadProgress) => {
        this.dispatchEvent(new CustomEvent('progress', { detail: event }));
      }, 50);
      this.#ready = this.worker.call('init', this.options, onProgress).then(
        (status) => {
          this.updateStatus(status);
          return status;
        },
        (err: Error) => {
          this.#ready = null;
          throw err;
        },
      );
    }
    return this.#ready;
  }

  /**
   * Resolves when exact personal recommendations are possible; rejects with why not. Fires `personalised`
   * as soon as a first personal list is possible (it may be approximate: scored against compact codes while
   * the exact embeddings download) and again when the exact one is, so a page shows each at once.
   */
  personalised(): Promise<EngineStatus> {
    const announce = (status: EngineStatus) => {
      this.updateStatus(status);
      this.dispatchEvent(new CustomEvent('personalised', { detail: status }));
      return status;
    };
    this.#personalised ??= this.ready()
      .then(() => this.worker.call('whenPersonal'))
      .then(announce)
      .then((early) =>
        early.embeddingSource === 'codes' ? this.worker.call('whenPersonalised').then(announce) : early,
      )
      .catch((err: Error) => {
        this.#personalised = null;
        throw err;
      });
    return this.#personalised;
  }

  /** Calls the worker after it is ready; notifies other tabs after changes to the profile. */
  async call<K extends keyof InferenceService>(
    method: K,
    ...args: Parameters<InferenceService[K]>
  ): Promise<Awaited<ReturnType<InferenceService[K]>>> {
    await this.ready();
    const result = await (this.worker.call as (m: K, ...a: Parameters<InferenceService[K]>) => Promise<never>)(
      method,
      ...args,
    );
    if ((PROFILE_CHANGING_CALLS as readonly string[]).includes(method)) {
      this.#channel?.postMessage({ changed: method });
      this.dispatchEvent(new CustomEvent('ratings-changed', { detail: { source: 'this-tab' } }));
    }
    return result;
  }

  async refreshStatus(): Promise<EngineStatus> {
    const status = await this.worker.call('status');
    this.updateStatus(status);
    return status;
  }

  async #syncFromOtherTab(): Promise<void> {
    if (!this.#status) return;
    try {
      await this.ready();
      if (await this.worker.call('syncRatings')) {
        this.dispatchEvent(new CustomEvent('ratings-changed', { detail: { source: 'other-tab' } }));
      }
    } catch {
      // Not started or restarting: the next start-up reads the ratings from storage anyway.
    }
  }

  /** Takes a status that arrived with another answer (a `ProfileView`) and tells the `status` listeners. */
  updateStatus(status: EngineStatus): void {
    this.#status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: status }));
  }

  dispose(): void {
    this.#channel?.close();
    this.worker.terminate();
  }
}

const shared = new Map<string, RecommenderClient>();

/** One client (one worker) per artifacts URL and store name on this page. */
export function getRecommenderClient(options: InitOptions, createWorker?: WorkerFactory): RecommenderClient {
  const key = `${new URL(options.artifactsUrl, location.href).href}|${options.storeName ?? 'cinesage'}|${options.backend ?? 'auto'}`;
  let client = shared.get(key);
  if (!client) {
    client = new RecommenderClient(options, createWorker);
    shared.set(key, client);
  }
  return client;
}
