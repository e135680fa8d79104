/**
 * The one bridge between the page (app or widget) and the inference worker. It hides comlink and adds
 * what comlink lacks: a timeout per call, a typed `WorkerCrashedError` for every pending call when the
 * worker fails to load or dies (comlink would hang forever), a fresh worker on the next call after a
 * crash, and errors that arrive as their own classes with their fields (`installErrorTransfer` in
 * src/core/errors.ts; comlink alone keeps only name/message/stack).
 */
import * as Comlink from 'comlink';
import { installErrorTransfer, WorkerCrashedError, WorkerTimeoutError } from '../core/errors.ts';

// Errors thrown in the worker arrive as their own classes, with their fields (the worker installs the same).
installErrorTransfer(Comlink.transferHandlers);

type AnyFn = (...args: never[]) => unknown;
type Methods<T> = { [K in keyof T]: T[K] extends AnyFn ? K : never }[keyof T];

export interface WorkerClientOptions {
  /** Default timeout of a call in milliseconds (0 = none). */
  timeoutMs?: number;
  /** Called after a crashed worker was replaced, so the owner can re-initialise it. */
  onRestart?: (cause: Error) => void;
}

interface Pending {
  reject: (err: Error) => void;
}

export class WorkerClient<T extends object> {
  readonly #create: () => Worker;
  readonly #options: WorkerClientOptions;
  #worker: Worker | null = null;
  #remote: Comlink.Remote<T> | null = null;
  #pending = new Set<Pending>();
  #crashes = 0;
  #generation = 0;

  constructor(createWorker: () => Worker, options: WorkerClientOptions = {}) {
    this.#create = createWorker;
    this.#options = options;
  }

  /** Changes whenever the worker is torn down; a caller that set state up in the worker must redo it. */
  get generation(): number {
    return this.#generation;
  }

  /** How many times the worker crashed and was replaced. */
  get crashes(): number {
    return this.#crashes;
  }

  /**
   * Calls `method` in the worker. Functions among the arguments must be wrapped with `WorkerClient.callback`.
   * Rejects with the worker's own error class, `WorkerTimeoutError` or `WorkerCrashedError`.
   */
  call<K extends Methods<T>>(
    method: K,
    ...args: T[K] extends AnyFn ? Parameters<T[K]> : never
  ): Promise<T[K] extends AnyFn ? Awaited<ReturnType<T[K]>> : never> {
    return this.callWithTimeout(this.#options.timeoutMs ?? 0, method, ...args);
  }

  callWithTimeout<K extends Methods<T>>(
    timeoutMs: number,
    method: K,
    ...args: T[K] extends AnyFn ? Parameters<T[K]> : never
  ): Promise<T[K] extends AnyFn ? Awaited<ReturnType<T[K]>> : never> {
    const remote = this.#ensure();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const pending: Pending = {
        reject: (err) => {
          clearTimeout(timer);
          this.#pending.delete(pending);
          reject(err);
        },
      };
      this.#pending.add(pending);
      if (timeoutMs > 0) {
        timer = setTimeout(() => pending.reject(new WorkerTimeoutError(String(method), timeoutMs)), timeoutMs);
      }
      const fn = (remote as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>)[
        method as PropertyKey
      ];
      fn(...(args as unknown[])).then(
        (value) => {
          if (!this.#pending.has(pending)) return;
          clearTimeout(timer);
          this.#pending.delete(pending);
          resolve(value as never);
        },
        (err: unknown) => {
          if (!this.#pending.has(pending)) return;
          pending.reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /**
   * Wraps a callback (e.g. progress) so it can be passed to the worker, calling it at most every `everyMs`;
   * the last call of a burst is always delivered (after the interval), so a final "done" is never lost.
   */
  static callback<A extends unknown[]>(fn: (...args: A) => void, everyMs = 0): (...args: A) => void {
    let last = Number.NEGATIVE_INFINITY;
    let trailing: ReturnType<typeof setTimeout> | undefined;
    let pendingArgs: A | null = null;
    const throttled = (...args: A) => {
      const now = performance.now();
      if (everyMs <= 0 || now - last >= everyMs) {
        clearTimeout(trailing);
        pendingArgs = null;
        last = now;
        fn(...args);
        return;
      }
      pendingArgs = args;
      if (trailing === undefined) {
        trailing = setTimeout(
          () => {
            trailing = undefined;
            if (!pendingArgs) return;
            const a = pendingArgs;
            pendingArgs = null;
            last = performance.now();
            fn(...a);
          },
          everyMs - (now - last),
        );
      }
    };
    return Comlink.proxy(throttled);
  }

  /** Stops the worker; pending calls reject with `WorkerCrashedError`. The next call starts a new worker. */
  terminate(reason = 'The worker was stopped.'): void {
    this.#teardown(new WorkerCrashedError(reason));
  }

  #ensure(): Comlink.Remote<T> {
    if (this.#remote) return this.#remote;
    const worker = this.#create();
    const onFailure = (event: Event) => {
      const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
      const err = new WorkerCrashedError(
        `The recommendation worker failed${detail}. It will be restarted on the next request; your ratings are safe.`,
      );
      this.#crashes++;
      this.#teardown(err);
      this.#options.onRestart?.(err);
    };
    worker.addEventListener('error', onFailure);
    worker.addEventListener('messageerror', onFailure);
    this.#worker = worker;
    this.#remote = Comlink.wrap<T>(worker);
    return this.#remote;
  }

  #teardown(err: Error): void {
    const pending = [...this.#pending];
    this.#pending.clear();
    if (this.#worker) this.#generation++;
    this.#remote?.[Comlink.releaseProxy]?.();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    for (const p of pending) p.reject(err);
  }
}
