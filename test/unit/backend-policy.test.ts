/** The backend policy: WebAssembly unless WebGPU is requested, or the graph is beyond what WASM can hold. */
import { expect, test } from 'vitest';
import {
  chooseBackend,
  INT8_ABOVE_MODEL_BYTES,
  MEASURED,
  preferInt8,
  WEBGPU_MIN_EDGES,
  wasmPassSeconds,
} from '../../workers/runtime/backend-policy.ts';

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

test('int8 weights: when asked for, when saving data, or when the fp32 file is large (ML-32M size), unless fp32 is asked for', () => {
  expect(preferInt8({ saveData: false, fp32Bytes: 300_958 })).toBe(false); // ML-100K
  expect(preferInt8({ saveData: false, fp32Bytes: 11_500_000 })).toBe(true); // ML-32M-shaped
  expect(preferInt8({ saveData: true, fp32Bytes: 300_958 })).toBe(true);
  expect(preferInt8({ requested: 'int8', saveData: false, fp32Bytes: 1 })).toBe(true);
  expect(preferInt8({ requested: 'fp32', saveData: true, fp32Bytes: 11_500_000 })).toBe(false);
  expect(preferInt8({ saveData: false, fp32Bytes: null })).toBe(false);
  expect(INT8_ABOVE_MODEL_BYTES).toBeGreaterThan(1_248_000); // ml-latest-small's fp32 file stays fp32
});
