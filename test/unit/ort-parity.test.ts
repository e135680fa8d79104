/**
 * Parity of the exported ONNX model with the float64 reference forward (test/helpers) and the trainer's
 * TS forward (src/core/model/forward.ts): onnxruntime-web in Node (wasm, 1 thread) through the runtime
 * adapter, and onnxruntime-node (intraOpNumThreads 1), on random subgraphs of every config shape and on
 * ML-100K (the real graph when the data set is present, else a synthetic graph of its size).
 */
import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { findMovieLensDir, loadMovieLens } from '../../pipeline/data/movielens.ts';
import { exportFullGraphModel } from '../../pipeline/onnx/export-model.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelVariant } from '../../src/core/model/onnx-contract.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelConfig, ModelParams } from '../../src/core/model/params.ts';
import {
  type BackendChoice,
  buildGraphFeeds,
  createSession,
  type GraphFeeds,
  runFullForward,
} from '../../workers/runtime/ort-session.ts';
import { randomGraph, randomParams, rng } from '../helpers/random-model.ts';
import { maxAbsDiff, referenceForward } from '../helpers/reference-forward.ts';

const TOL = 1e-4;
let wasm: BackendChoice;

beforeAll(async () => {
  const { selectBackend } = await import('../../workers/runtime/ort-session.ts');
  wasm = await selectBackend({ adapterInfo: null });
  expect(wasm.backend).toBe('wasm');
});

async function runOrtNode(
  bytes: Uint8Array,
  feeds: GraphFeeds,
): Promise<{ userEmb: Float32Array; movieEmb: Float32Array; ms: number }> {
  const session = await ortNode.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
    // Without this the CPU EP fuses DequantizeLinear → MatMul into MatMulNBits that quantises activations (~3e-3).
    extra: { session: { qdq_matmulnbits_accuracy_level: '0' } },
  });
  const inputs: Record<string, ortNode.Tensor> = {};
  for (const name of session.inputNames) {
    const f = feeds[name];
    inputs[name] = new ortNode.Tensor(f.data instanceof Float32Array ? 'float32' : 'int64', f.data, f.dims);
  }
  const t0 = performance.now();
  const out = await session.run(inputs);
  const ms = performance.now() - t0;
  await session.release();
  return { userEmb: out.user_embedding.data as Float32Array, movieEmb: out.movie_embedding.data as Float32Array, ms };
}

interface Diffs {
  ref: number;
  ts: number;
  node: number;
  msWasm: number;
  msNode: number;
}

/** Exports `p` as `variant`, runs it on both runtimes and compares with the references built from the weights the file holds. */
async function parity(g: RatingGraph, p: ModelParams, variant: ModelVariant): Promise<Diffs> {
  const bytes = exportFullGraphModel(p, { variant });
  const stored = readModelParams(bytes); // int8: the dequantised weights the graph computes with
  const ref = referenceForward(g, stored);
  const ts = forward(g, stored);
  const feeds = buildGraphFeeds(g, p);
  const s = await createSession(bytes, wasm);
  const web = await runFullForward(s, feeds);
  await s.session.release();
  const node = await runOrtNode(bytes, feeds);
  expect(web.backend).toBe('wasm');
  return {
    ref: Math.max(maxAbsDiff(web.userEmb, ref.user), maxAbsDiff(web.movieEmb, ref.movie)),
    ts: Math.max(maxAbsDiff(web.userEmb, ts.userEmb), maxAbsDiff(web.movieEmb, ts.movieEmb)),
    node: Math.max(maxAbsDiff(node.userEmb, ref.user), maxAbsDiff(node.movieEmb, ref.movie)),
    msWasm: web.ms,
    msNode: node.ms,
  };
}

const configs: [string, Partial<ModelConfig>][] = [
  ['concat + normalise + id embedding', {}],
  ['sum, no normalisation', { skip: 'sum', normalize: false, hiddenDim: 24, outDim: 24 }],
  [
    'none, no id embedding, wide hidden (aggregate before projecting)',
    { skip: 'none', movieIdEmbeddingDim: 0, hiddenDim: 40, outDim: 8 },
  ],
  ['narrow hidden (project before aggregating)', { hiddenDim: 4, outDim: 3, movieIdEmbeddingDim: 12 }],
  ['concat + normalise + movie score bias column', { movieScoreBias: true }],
  ['rating-aware messages (signed channel), concat + normalise', { ratingMessages: { center: 3, scale: 2 } }],
  [
    'rating-aware messages, no id embedding, narrow hidden',
    { ratingMessages: { center: 2.75, scale: 2.25 }, movieIdEmbeddingDim: 0, hiddenDim: 4, outDim: 3 },
  ],
];

describe('exported model equals the TS forward on random subgraphs', () => {
  for (const [name, config] of configs) {
    for (const variant of ['fp32', 'int8'] as const) {
      test(`${variant}: ${name}`, async () => {
        const r = rng(name.length * 31 + variant.length);
        const g = randomGraph(r, 37, 53, 400, { user: 5, movie: 11 });
        const p = randomParams(r, { userFeatureDim: 5, movieFeatureDim: 11, numMovies: 53 }, config);
        const d = await parity(g, p, variant);
        expect(d.ref).toBeLessThanOrEqual(TOL);
        expect(d.ts).toBeLessThanOrEqual(TOL);
        expect(d.node).toBeLessThanOrEqual(TOL);
      });
    }
  }

  test('a graph whose movies are a subset of the model (movie_index feeds the id-embedding rows)', async () => {
    const r = rng(99);
    const p = randomParams(r, { userFeatureDim: 3, movieFeatureDim: 4, numMovies: 30 });
    const g = randomGraph(r, 10, 12, 40, { user: 3, movie: 4 });
    const rows = Int32Array.from({ length: 12 }, (_, i) => 29 - 2 * i);
    const sub: ModelParams = {
      ...p,
      numMovies: 12,
      movieIdEmbedding: Float32Array.from(
        { length: 12 * 8 },
        (_, k) => p.movieIdEmbedding[rows[Math.floor(k / 8)] * 8 + (k % 8)],
      ),
    };
    const ref = referenceForward(g, sub);
    const s = await createSession(exportFullGraphModel(p, { variant: 'fp32' }), wasm);
    const out = await runFullForward(s, buildGraphFeeds(g, p, { movieIndex: rows }));
    expect(maxAbsDiff(out.movieEmb, ref.movie)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(out.userEmb, ref.user)).toBeLessThanOrEqual(TOL);
  });

  test('the int8 model differs from the fp32 weights (the test above would notice a silent fp32 fallback)', async () => {
    const r = rng(5);
    const g = randomGraph(r, 20, 30, 150, { user: 4, movie: 6 });
    const p = randomParams(r, { userFeatureDim: 4, movieFeatureDim: 6, numMovies: 30 });
    const s = await createSession(exportFullGraphModel(p, { variant: 'int8' }), wasm);
    const out = await runFullForward(s, buildGraphFeeds(g, p));
    const exact = referenceForward(g, p);
    expect(maxAbsDiff(out.movieEmb, exact.movie)).toBeGreaterThan(TOL);
  });
});

describe('ML-100K size', () => {
  let g: RatingGraph;
  let source: string;
  beforeAll(async () => {
    const dir = findMovieLensDir();
    if (dir) {
      g = buildGraph(await loadMovieLens(dir)).graph;
      source = 'ML-100K';
    } else {
      g = randomGraph(rng(100), 943, 1682, 100_000, { user: 24, movie: 22 }, false);
      source = 'synthetic ML-100K-sized graph';
    }
  }, 120_000);

  for (const variant of ['fp32', 'int8'] as const) {
    test(`${variant}: max |ONNX − TS| ≤ 1e-4 on both runtimes`, async () => {
      const p = randomParams(
        rng(2024),
        { userFeatureDim: g.userFeatureDim, movieFeatureDim: g.movieFeatureDim, numMovies: g.numMovies },
        { hiddenDim: 64, outDim: 64, movieIdEmbeddingDim: 32, ratingMessages: { center: 3, scale: 2 } },
      );
      const d = await parity(g, p, variant);
      console.log(
        `[${source}: ${g.numUsers} users, ${g.numMovies} movies, ${g.numEdges} edges] ${variant}: max diff vs f64 reference ${d.ref.toExponential(2)}, vs TS forward ${d.ts.toExponential(2)}, onnxruntime-node ${d.node.toExponential(2)}; forward ${d.msWasm.toFixed(1)} ms (onnxruntime-web wasm, 1 thread), ${d.msNode.toFixed(1)} ms (onnxruntime-node, 1 thread)`,
      );
      expect(d.ref).toBeLessThanOrEqual(TOL);
      expect(d.ts).toBeLessThanOrEqual(TOL);
      expect(d.node).toBeLessThanOrEqual(TOL);
    });
  }
});
