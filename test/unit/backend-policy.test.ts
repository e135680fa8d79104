/** The backend policy: WebAssembly unless WebGPU is requested, or the graph is beyond what WASM can hold. */
import { expect, test } from 'vitest';
import { chooseBackend, MEASURED, WEBGPU_MIN_EDGES, wasmPassSeconds } from '../../workers/runtime/backend-policy.ts';

const hardware = { software: false };

test('ML-100K and ml-latest-small run on WASM even with a hardware adapter; so does any software adapter', () => {
  expect(chooseBackend({ edges: 100_000, adapter: hardware }).backend).toBe('wasm');
  expect(chooseBackend({ edges: 100_836, adapter: hardware }).reason).toMatch(/100,836 ratings.*faster end to end/);
  expect(chooseBackend({ edges: 100_000, adapter: null }).reason).toMatch(/faster end to end/);
  expect(chooseBackend({ edges: 32_000_204, adapter: null }).reason).toMatch(/no WebGPU adapter/);
  expect(chooseBackend({ edges: 32_000_204, adapter: { software: true } }).backend).toBe('wasm');
});

test('WebGPU only at and beyond the size WASM ran out of memory at, or when forced', () => {
  expect(chooseBackend({ edges: WEBGPU_MIN_EDGES - 1, adapter: hardware }).backend).toBe('wasm');
  expect(chooseBackend({ edges: WEBGPU_MIN_EDGES, adapter: hardware }).backend).toBe('webgpu');
  expect(chooseBackend({ edges: 32_000_204, adapter: hardware }).reason).toMatch(/32,000,204 ratings/);
  expect(chooseBackend({ edges: 10, adapter: hardware, forced: 'webgpu' }).backend).toBe('webgpu');
  expect(chooseBackend({ edges: 1e8, adapter: hardware, forced: 'wasm' }).reason).toMatch(/as requested/);
  expect(WEBGPU_MIN_EDGES).toBeLessThan(4_950_357); // the graph WASM failed on (bench §2)
});

test('a WASM pass from scratch on ML-100K at 10 Mbit/s is dominated by the download', () => {
  const s = wasmPassSeconds(100_000, 10e6);
  expect(s).toBeCloseTo((MEASURED.wasmDownloadBytes * 8) / 10e6 + 0.66, 2);
  expect(s).toBeGreaterThan(3);
});
