import { expect, test } from 'vitest';
import { WorkerClient } from '../../src/client/worker-client.ts';
import { InvalidRatingError, WorkerCrashedError, WorkerTimeoutError } from '../../src/core/errors.ts';
import type { TestWorkerApi } from './fixtures/test.worker.ts';

const makeWorker = () => new Worker(new URL('./fixtures/test.worker.ts', import.meta.url), { type: 'module' });

test('a call reaches the worker and returns its value', async () => {
  const client = new WorkerClient<TestWorkerApi>(makeWorker);
  await expect(client.call('echo', 21)).resolves.toBe(42);
  client.terminate();
});

test('a typed error thrown in the worker arrives as the same class with its message', async () => {
  const client = new WorkerClient<TestWorkerApi>(makeWorker);
  const err = await client.call('failTyped').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidRatingError);
  expect((err as Error).message).toContain('got 7');
  client.terminate();
});

test('a call that takes too long rejects with WorkerTimeoutError', async () => {
  const client = new WorkerClient<TestWorkerApi>(makeWorker, { timeoutMs: 100 });
  await expect(client.call('hang')).rejects.toBeInstanceOf(WorkerTimeoutError);
  await expect(client.call('echo', 1)).resolves.toBe(2);
  client.terminate();
});

test('a crash rejects pending calls with WorkerCrashedError and the next call gets a new worker', async () => {
  let restarts = 0;
  const client = new WorkerClient<TestWorkerApi>(makeWorker, { onRestart: () => restarts++ });
  await expect(client.call('crash')).rejects.toBeInstanceOf(WorkerCrashedError);
  expect(restarts).toBe(1);
  await expect(client.call('echo', 5)).resolves.toBe(10);
  client.terminate();
});

test('a worker that fails to load rejects instead of hanging', async () => {
  const client = new WorkerClient<TestWorkerApi>(
    () => new Worker(new URL('./fixtures/does-not-exist.worker.js', import.meta.url), { type: 'module' }),
    { timeoutMs: 20_000 },
  );
  await expect(client.call('echo', 1)).rejects.toBeInstanceOf(WorkerCrashedError);
});

test('progress callbacks are throttled, and the last one of a burst still arrives', async () => {
  const client = new WorkerClient<TestWorkerApi>(makeWorker);
  const seen: number[] = [];
  const result = await client.call(
    'progress',
    WorkerClient.callback((n: number) => seen.push(n), 200),
  );
  expect(result).toBe('done');
  expect(seen).toEqual([1]);
  await new Promise((r) => setTimeout(r, 300));
  expect(seen).toEqual([1, 100]);
  client.terminate();
});
