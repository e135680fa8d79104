import { expect, test } from 'vitest';

test('runs in a real Chromium with IndexedDB and a WebGPU adapter', async () => {
  expect(typeof indexedDB.open).toBe('function');
  const adapter = await navigator.gpu?.requestAdapter();
  expect(adapter).toBeTruthy();
});
