/**
 * The worker's API object: what the page can ask the inference worker. Kept apart from the comlink glue so
 * it can be tested directly.
 */

export interface WorkerInfo {
  /** Always 'cinesage-worker': lets the page check it talks to the right worker. */
  kind: 'cinesage-worker';
  /** Whether this worker sees a WebGPU implementation at all (`navigator.gpu`). */
  hasWebGPU: boolean;
  crossOriginIsolated: boolean;
}

export interface InferenceService {
  /** Answers at once: proves the worker loaded and runs. */
  ping(): Promise<WorkerInfo>;
}

export function createInferenceService(): InferenceService {
  return {
    async ping() {
      return {
        kind: 'cinesage-worker',
        hasWebGPU: typeof navigator !== 'undefined' && 'gpu' in navigator,
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
      };
    },
  };
}
