/**
 * Creates the worker client for the inference worker. The literal `new Worker(new URL(…), {type:'module'})`
 * is what lets Vite find, bundle and hash the worker.
 */
import type { InferenceService } from '../../workers/inference-service.ts';
import { WorkerClient, type WorkerClientOptions } from './worker-client.ts';

export function createInferenceClient(options: WorkerClientOptions = {}): WorkerClient<InferenceService> {
  return new WorkerClient<InferenceService>(
    () =>
      new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'cinesage-inference',
      }),
    { timeoutMs: 120_000, ...options },
  );
}
