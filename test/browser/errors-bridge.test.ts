/**
 * Every error class crosses the worker boundary as itself: thrown in a real worker (which installs the same
 * `installErrorTransfer` as workers/inference.worker.ts) and received on the page through `WorkerClient`,
 * it keeps its class, name, message and own fields.
 */
import { afterAll, expect, test } from 'vitest';
import { WorkerClient } from '../../src/client/worker-client.ts';
import { CineSageError, ERROR_CLASSES } from '../../src/core/errors.ts';
import { sampleError } from './fixtures/error-samples.ts';
import type { ErrorsWorkerApi } from './fixtures/errors.worker.ts';

const client = new WorkerClient<ErrorsWorkerApi>(
  () => new Worker(new URL('./fixtures/errors.worker.ts', import.meta.url), { type: 'module' }),
  { timeoutMs: 20_000 },
);
afterAll(() => client.terminate());

/** The error's own enumerable fields (`name`, `file`, `status`, …), as plain data. */
const fieldsOf = (err: Error) => ({ ...err });

test.each(Object.entries(ERROR_CLASSES))('%s thrown in the worker arrives on the page as itself', async (name, cls) => {
  const expected = sampleError(name);
  expect(expected.constructor).toBe(cls); // the sample is of exactly this class
  const received = await client.call('throwSample', name).then(
    () => null,
    (err: unknown) => err as Error,
  );
  expect(received).toBeInstanceOf(cls);
  expect(received).toBeInstanceOf(CineSageError);
  expect(received).toBeInstanceOf(Error);
  expect(received?.constructor).toBe(cls);
  expect(received?.name).toBe(name);
  expect(received?.message).toBe(expected.message);
  expect(received?.message.length).toBeGreaterThan(20);
  expect(fieldsOf(received as Error)).toEqual(fieldsOf(expected));
  expect(received?.stack).toContain('errors.worker');
});

test('the class fields really travel (file, status, timeoutMs)', async () => {
  const download = await client.call('throwSample', 'ArtifactDownloadError').catch((e: unknown) => e);
  expect(download).toMatchObject({ file: 'manifest.json', status: 404 });
  const format = await client.call('throwSample', 'ArtifactFormatError').catch((e: unknown) => e);
  expect(format).toMatchObject({ file: 'snapshot.bin' });
  const timeout = await client.call('throwSample', 'WorkerTimeoutError').catch((e: unknown) => e);
  expect(timeout).toMatchObject({ timeoutMs: 1500 });
});

test('an error of no registered class arrives as a plain Error with its name and message', async () => {
  const received = (await client.call('throwUnregistered').catch((e: unknown) => e)) as Error;
  expect(received).toBeInstanceOf(Error);
  expect(received).not.toBeInstanceOf(CineSageError);
  expect(received.name).toBe('RangeError');
  expect(received.message).toBe('page 7 of 3 does not exist');
});

test('every registered class is registered under its own name, once', () => {
  const classes = Object.values(ERROR_CLASSES);
  expect(new Set(classes).size).toBe(classes.length);
  for (const [name, cls] of Object.entries(ERROR_CLASSES)) expect(sampleError(name)).toBeInstanceOf(cls);
});
