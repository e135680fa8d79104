import { describe, expect, test } from 'vitest';
import { exportFullGraphModel, quantizePerColumn } from '../../pipeline/onnx/export-model.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { f16BitsToF32, f32ToF16Bits, fromF16, toF16 } from '../../src/core/model/float16.ts';
import { readModelParams, readOnnxInitializers } from '../../src/core/model/onnx-weights.ts';
import type { Dense, ModelParams } from '../../src/core/model/params.ts';
import { randomParams, rng } from '../helpers/random-model.ts';

const dims = { userFeatureDim: 6, movieFeatureDim: 9, numMovies: 40 };

/** Every weight array of the params, by a readable path. */
function weights(p: ModelParams): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>([
    ['movieIdEmbedding', p.movieIdEmbedding],
    ['movieBias', p.calibration.movieBias],
  ]);
  for (const layer of ['layer1', 'layer2'] as const) {
    for (const side of ['user', 'movie'] as const) {
      const c = p[layer][side];
      out.set(`${layer}.${side}.self`, c.self.weight);
      out.set(`${layer}.${side}.neigh`, c.neigh.weight);
      out.set(`${layer}.${side}.bias`, c.bias);
    }
  }
  return out;
}

describe('ONNX weights read back', () => {
  const p = randomParams(rng(7), dims, { skip: 'sum', hiddenDim: 12, outDim: 12, movieIdEmbeddingDim: 5 });

  test('fp32: params, config, dims and calibration equal exactly', () => {
    const back = readModelParams(exportFullGraphModel(p, { variant: 'fp32' }));
    expect(back.variant).toBe('fp32');
    const { variant: _, ...rest } = back;
    expect(rest).toEqual(p);
  });

  test('int8: each weight equals its per-column dequantisation q·scale; biases and calibration stay fp32', () => {
    const back = readModelParams(exportFullGraphModel(p, { variant: 'int8' }));
    expect(back.config).toEqual(p.config);
    const dense = (d: Dense, got: Dense) => {
      const { q, scale } = quantizePerColumn(d.weight, d.inDim, d.outDim);
      const expected = Float32Array.from(q, (v, i) => v * scale[i % d.outDim]);
      expect(got.weight).toEqual(expected);
      // and the quantisation error is at most half a step
      for (let i = 0; i < expected.length; i++) {
        expect(Math.abs(expected[i] - d.weight[i])).toBeLessThanOrEqual(scale[i % d.outDim] / 2 + 1e-7);
      }
    };
    for (const layer of ['layer1', 'layer2'] as const) {
      for (const side of ['user', 'movie'] as const) {
        dense(p[layer][side].self, back[layer][side].self);
        dense(p[layer][side].neigh, back[layer][side].neigh);
        expect(back[layer][side].bias).toEqual(p[layer][side].bias);
      }
    }
    const id = { inDim: dims.numMovies, outDim: 5, weight: p.movieIdEmbedding };
    dense(id, { ...id, weight: back.movieIdEmbedding });
    expect(back.calibration).toEqual(p.calibration);
  });

  test('fp16: weights are the fp16 roundings, the calibration stays fp32', () => {
    const back = readModelParams(exportFullGraphModel(p, { variant: 'fp16' }));
    const got = weights(back);
    for (const [name, w] of weights(p)) {
      expect(got.get(name), name).toEqual(name === 'movieBias' ? w : fromF16(toF16(w)));
    }
  });

  test('int8 is smaller than fp32; all variants carry the same metadata', () => {
    const sizes = Object.fromEntries(
      (['fp32', 'int8', 'fp16'] as const).map((v) => [v, exportFullGraphModel(p, { variant: v }).length]),
    );
    expect(sizes.int8).toBeLessThan(sizes.fp32);
    expect(sizes.fp16).toBeLessThan(sizes.fp32);
  });

  test('the movie score bias reads back exactly in every variant (kept fp32)', () => {
    const q = randomParams(rng(9), dims, { movieScoreBias: true });
    expect(q.movieScoreBias.length).toBe(dims.numMovies);
    for (const variant of ['fp32', 'int8', 'fp16'] as const) {
      const back = readModelParams(exportFullGraphModel(q, { variant }));
      expect(back.config.movieScoreBias).toBe(true);
      expect(back.movieScoreBias).toEqual(q.movieScoreBias);
    }
    expect(readModelParams(exportFullGraphModel(p, { variant: 'fp32' })).movieScoreBias.length).toBe(0);
  });

  test('a model without an id embedding reads back with an empty one', () => {
    const q = randomParams(rng(8), dims, { movieIdEmbeddingDim: 0, skip: 'none', normalize: false });
    const back = readModelParams(exportFullGraphModel(q, { variant: 'fp32' }));
    expect(back.movieIdEmbedding.length).toBe(0);
    expect(back.layer1.user.neigh.weight).toEqual(q.layer1.user.neigh.weight);
  });

  test('garbage, truncated and foreign files fail with ArtifactFormatError naming the file', () => {
    const bytes = exportFullGraphModel(p, { variant: 'fp32' });
    expect(() => readModelParams(new TextEncoder().encode('<!doctype html><html>'), 'm.onnx')).toThrow(
      ArtifactFormatError,
    );
    expect(() => readModelParams(bytes.subarray(0, bytes.length - 100), 'm.onnx')).toThrow(/m\.onnx/);
    // A valid ONNX file without our metadata.
    const foreign = new Uint8Array([0x08, 0x08, 0x3a, 0x00]); // ir_version 8, empty graph
    expect(readOnnxInitializers(foreign).initializers.size).toBe(0);
    expect(() => readModelParams(foreign, 'm.onnx')).toThrow(/not a CineSage model/);
  });
});

describe('float16', () => {
  test('known values, rounding to nearest even, subnormals, overflow, NaN', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00);
    expect(f32ToF16Bits(-2)).toBe(0xc000);
    expect(f32ToF16Bits(65504)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001);
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000); // tie → even (0)
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002); // tie → even (2)
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(Number.NaN)))).toBe(true);
    expect(f16BitsToF32(0x7c00)).toBe(Number.POSITIVE_INFINITY);
  });

  test('every finite half round-trips through f32', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      const back = f32ToF16Bits(f16BitsToF32(bits));
      if (back !== bits) throw new Error(`0x${bits.toString(16)} → 0x${back.toString(16)}`);
    }
  });
});
