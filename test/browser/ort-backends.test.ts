/**
 * The exported model in real Chromium: on WebGPU (onnxruntime-web/webgpu, the SwiftShader adapter, CPU EP
 * fallback disabled so session creation proves every node runs on the GPU EP) and on WASM. Both equal
 * each other and the float64 reference within 1e-4. The model is exported in-page (no binary artifact).
 * Also times the ML-100K-sized forward on both backends (median of several runs; a report, not a gate).
 */
import { describe, expect, test } from 'vitest';
import { exportFullGraphModel } from '../../pipeline/onnx/export-model.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import {
  type BackendChoice,
  buildGraphFeeds,
  chooseVariant,
  createSession,
  runFullForward,
  selectBackend,
} from '../../workers/runtime/ort-session.ts';
import { randomGraph, randomParams, rng } from '../helpers/random-model.ts';
import { maxAbsDiff, referenceForward } from '../helpers/reference-forward.ts';

const TOL = 1e-4;

async function backends(): Promise<{ gpu: BackendChoice; wasm: BackendChoice }> {
  const gpu = await selectBackend();
  const wasm = await selectBackend({ preferWebGPU: false });
  return { gpu, wasm };
}

describe('onnxruntime-web in Chromium', () => {
  test('the software adapter is found, WebGPU is chosen, and fp16 is not (no shader-f16)', async () => {
    const { gpu } = await backends();
    console.log(`backend: ${gpu.backend} (${gpu.reason}), shader-f16: ${gpu.hasShaderF16}`);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.hasShaderF16).toBe(false);
    expect(chooseVariant(gpu)).toBe('fp32');
  });

  for (const variant of ['fp32', 'int8'] as const) {
    test(`${variant}: WebGPU (GPU EP only) and WASM agree with each other and the reference`, async () => {
      const { gpu, wasm } = await backends();
      const r = rng(variant === 'fp32' ? 11 : 12);
      const g = randomGraph(r, 60, 90, 900, { user: 6, movie: 10 });
      const p = randomParams(
        r,
        { userFeatureDim: 6, movieFeatureDim: 10, numMovies: 90 },
        { hiddenDim: 32, outDim: 16 },
      );
      const bytes = exportFullGraphModel(p, { variant });
      const ref = referenceForward(g, readModelParams(bytes));
      const feeds = buildGraphFeeds(g, p);

      const gs = await createSession(bytes, gpu, { disableCpuFallback: true });
      const onGpu = await runFullForward(gs, feeds);
      await gs.session.release();
      const ws = await createSession(bytes, wasm);
      const onWasm = await runFullForward(ws, feeds);
      await ws.session.release();

      expect(onGpu.backend).toBe('webgpu');
      expect(onWasm.backend).toBe('wasm');
      const between = Math.max(maxAbsDiff(onGpu.userEmb, onWasm.userEmb), maxAbsDiff(onGpu.movieEmb, onWasm.movieEmb));
      const gpuRef = Math.max(maxAbsDiff(onGpu.userEmb, ref.user), maxAbsDiff(onGpu.movieEmb, ref.movie));
      const wasmRef = Math.max(maxAbsDiff(onWasm.userEmb, ref.user), maxAbsDiff(onWasm.movieEmb, ref.movie));
      console.log(
        `${variant}: max |webgpu − wasm| ${between.toExponential(2)}, webgpu vs f64 ${gpuRef.toExponential(2)}, wasm vs f64 ${wasmRef.toExponential(2)}`,
      );
      expect(between).toBeLessThanOrEqual(TOL);
      expect(gpuRef).toBeLessThanOrEqual(TOL);
      expect(wasmRef).toBeLessThanOrEqual(TOL);
    });
  }

  test('fp16 cannot run on an adapter without shader-f16 (why chooseVariant never picks it there)', async () => {
    const { gpu } = await backends();
    const r = rng(13);
    const g = randomGraph(r, 8, 10, 30, { user: 2, movie: 3 });
    const p = randomParams(r, { userFeatureDim: 2, movieFeatureDim: 3, numMovies: 10 });
    const bytes = exportFullGraphModel(p, { variant: 'fp16' });
    let failure: unknown = null;
    try {
      const s = await createSession(bytes, gpu, { disableCpuFallback: true });
      await runFullForward(s, buildGraphFeeds(g, p));
      await s.session.release();
    } catch (e) {
      failure = e;
    }
    console.log(`fp16 on SwiftShader: ${failure ? `throws: ${String(failure).slice(0, 160)}` : 'ran'}`);
    expect(failure).not.toBeNull();
  });

  test('ML-100K-sized forward: same outputs on both backends; timings', async () => {
    const { gpu, wasm } = await backends();
    const r = rng(100);
    const g = randomGraph(r, 943, 1682, 100_000, { user: 24, movie: 22 }, false);
    const p = randomParams(
      r,
      { userFeatureDim: 24, movieFeatureDim: 22, numMovies: 1682 },
      { hiddenDim: 64, outDim: 64, movieIdEmbeddingDim: 32 },
    );
    const feeds = buildGraphFeeds(g, p);
    const result: Record<string, string> = {};
    const outs: Record<string, Float32Array> = {};
    for (const variant of ['fp32', 'int8'] as const) {
      const bytes = exportFullGraphModel(p, { variant });
      for (const choice of [wasm, gpu]) {
        const s = await createSession(bytes, choice, { disableCpuFallback: choice.backend === 'webgpu' });
        const times: number[] = [];
        let last: Float32Array | undefined;
        for (let i = 0; i < 6; i++) {
          const out = await runFullForward(s, feeds);
          times.push(out.ms);
          last = out.movieEmb;
        }
        await s.session.release();
        const warm = times.slice(1).sort((a, b) => a - b);
        result[`${variant}/${choice.backend}`] = `first ${times[0].toFixed(1)} ms, median ${warm[2].toFixed(1)} ms`;
        outs[`${variant}/${choice.backend}`] = last as Float32Array;
      }
      expect(maxAbsDiff(outs[`${variant}/webgpu`], outs[`${variant}/wasm`])).toBeLessThanOrEqual(TOL);
    }
    console.log(`ML-100K-sized forward in Chromium (${g.numEdges} edges): ${JSON.stringify(result)}`);
  });
});
