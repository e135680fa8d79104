import { describe, expect, test } from 'vitest';
import { exportFullGraphModel } from '../../pipeline/onnx/export-model.ts';
import { MODEL_INPUTS as I, type ModelVariant } from '../../src/core/model/onnx-contract.ts';
import {
  buildGraphFeeds,
  chooseVariant,
  openModel,
  runFullForward,
  selectBackend,
} from '../../workers/runtime/ort-session.ts';
import { randomGraph, randomParams, rng } from '../helpers/random-model.ts';

describe('chooseVariant', () => {
  test('never returns fp16 without shader-f16, on any backend or preference', () => {
    for (const backend of ['webgpu', 'wasm'] as const) {
      for (const preferSmall of [undefined, false, true]) {
        expect(chooseVariant({ hasShaderF16: false, backend, preferSmall })).not.toBe('fp16');
      }
    }
  });

  test('fp16 only on WebGPU with shader-f16; int8 when asked to save bytes; else fp32', () => {
    expect(chooseVariant({ hasShaderF16: true, backend: 'webgpu' })).toBe('fp16');
    expect(chooseVariant({ hasShaderF16: true, backend: 'wasm' })).toBe('fp32');
    expect(chooseVariant({ hasShaderF16: false, backend: 'webgpu' })).toBe('fp32');
    expect(chooseVariant({ hasShaderF16: false, backend: 'wasm', preferSmall: true })).toBe('int8');
  });
});

describe('selectBackend', () => {
  test('no adapter (Node, or a browser without one) → wasm', async () => {
    expect((await selectBackend()).backend).toBe('wasm');
    const none = await selectBackend({ adapterInfo: null });
    expect(none).toMatchObject({ backend: 'wasm', hasShaderF16: false, reason: 'no WebGPU adapter' });
  });

  test('an adapter → webgpu, reporting shader-f16; preferWebGPU false → wasm', async () => {
    const gpu = await selectBackend({ adapterInfo: { features: ['shader-f16', 'timestamp-query'] } });
    expect(gpu).toMatchObject({ backend: 'webgpu', hasShaderF16: true });
    const soft = await selectBackend({ adapterInfo: { features: new Set(['timestamp-query']) } });
    expect(soft.hasShaderF16).toBe(false);
    const off = await selectBackend({ preferWebGPU: false, adapterInfo: { features: ['shader-f16'] } });
    expect(off.backend).toBe('wasm');
  });
});

describe('buildGraphFeeds', () => {
  const r = rng(3);
  const g = randomGraph(r, 6, 9, 20, { user: 2, movie: 3 });
  const p = randomParams(r, { userFeatureDim: 2, movieFeatureDim: 3, numMovies: 9 });

  test('edge tensors list every edge once per direction, sorted by destination, with [E] / [E,1] shapes', () => {
    const f = buildGraphFeeds(g, p);
    expect(f[I.m2uSrc].dims).toEqual([20]);
    expect(f[I.m2uDst].dims).toEqual([20, 1]);
    expect(f[I.u2mSrc].dims).toEqual([20]);
    expect(f[I.u2mDst].dims).toEqual([20, 1]);
    const pairs = (src: BigInt64Array, dst: BigInt64Array, userFirst: boolean) =>
      Array.from(src, (s, e) => (userFirst ? `${dst[e]}-${s}` : `${s}-${dst[e]}`)).sort();
    const expected = [];
    for (let u = 0; u < g.numUsers; u++) {
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) expected.push(`${u}-${g.edgeMovie[e]}`);
    }
    const m2u = pairs(f[I.m2uSrc].data as BigInt64Array, f[I.m2uDst].data as BigInt64Array, true);
    const u2m = pairs(f[I.u2mSrc].data as BigInt64Array, f[I.u2mDst].data as BigInt64Array, false);
    expect(m2u).toEqual(expected.sort());
    expect(u2m).toEqual(expected);
    for (const key of [I.m2uDst, I.u2mDst]) {
      const d = Array.from(f[key].data as BigInt64Array);
      expect(d).toEqual([...d].sort((a, b) => Number(a - b)));
    }
  });

  test('inverse degrees are 1/deg, 0 for isolated nodes; movie_index is the identity', () => {
    const f = buildGraphFeeds(g, p);
    const inv = f[I.userInvDeg].data as Float32Array;
    expect(f[I.userInvDeg].dims).toEqual([6, 1]);
    expect(inv[5]).toBe(0); // the helper leaves the last user isolated
    expect(inv[0]).toBeCloseTo(1 / (g.userPtr[1] - g.userPtr[0]), 7);
    expect((f[I.movieInvDeg].data as Float32Array)[8]).toBe(0);
    expect(Array.from(f[I.movieIndex].data as BigInt64Array)).toEqual(Array.from({ length: 9 }, (_, i) => BigInt(i)));
  });

  test('mismatched features or an out-of-range movie index are rejected', () => {
    expect(() => buildGraphFeeds(g, { ...p, userFeatureDim: 3 })).toThrow(/do not match/);
    expect(() => buildGraphFeeds(g, { ...p, numMovies: 5 })).toThrow(RangeError);
  });
});

describe('openModel', () => {
  const r = rng(4);
  const p = randomParams(r, { userFeatureDim: 2, movieFeatureDim: 3, numMovies: 9 });
  const g = randomGraph(r, 6, 9, 20, { user: 2, movie: 3 });

  test('loads the chosen variant and runs on wasm when there is no adapter', async () => {
    const asked: string[] = [];
    const load = async (v: ModelVariant) => {
      asked.push(v);
      return exportFullGraphModel(p, { variant: v });
    };
    const opened = await openModel(load, {
      adapterInfo: null,
      preferSmall: true,
    });
    expect(asked).toEqual(['int8']);
    expect(opened).toMatchObject({ variant: 'int8', reason: 'no WebGPU adapter' });
    const out = await runFullForward(opened.session, buildGraphFeeds(g, p));
    expect(out.backend).toBe('wasm');
  });

  test('falls back to wasm (and away from fp16) when the WebGPU session cannot be created', async () => {
    const asked: string[] = [];
    const load = async (v: ModelVariant) => {
      asked.push(v);
      return exportFullGraphModel(p, { variant: v });
    };
    // Node has no navigator.gpu, so a claimed shader-f16 adapter makes WebGPU session creation fail.
    const opened = await openModel(load, {
      adapterInfo: { features: ['shader-f16'] },
    });
    expect(asked).toEqual(['fp16', 'fp32']);
    expect(opened.session.backend).toBe('wasm');
    expect(opened.variant).toBe('fp32');
    expect(opened.reason).toMatch(/^WebGPU failed \(.+\); using WASM$/);
  });
});
