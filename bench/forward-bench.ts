/**
 * The benchmark API behind `window.cinesageBench` (bench/page/protocol.ts), with no DOM: full forward passes
 * and top-20 scoring on the real ML-100K snapshot and on synthetic catalogs, with the product's own code —
 * onnxruntime-web through workers/runtime/ort-session.ts (WASM, or WebGPU where there is an adapter), the
 * plain TypeScript forward, `scoreCandidates` and the IVF index. The benchmark page (bench/page/main.ts)
 * serves it to bench/run.ts over fetch; bench/gpu-node.ts runs it in Node on Dawn's WebGPU.
 *
 * Synthetic catalogs run the shipped trained model. Item m uses the id-embedding row of template movie
 * m mod 1682 (the model's `movie_index` input; the TS forward gets the same rows tiled). So the FLOPs and
 * activation bytes are those of a real model of that catalog. Only the model file stays small: a real
 * 1M-item id embedding would add 1M × 32 floats.
 */

import type { RatingGraph } from '../src/core/graph.ts';
import { forward } from '../src/core/model/forward.ts';
import type { ModelVariant } from '../src/core/model/onnx-contract.ts';
import { readModelParams } from '../src/core/model/onnx-weights.ts';
import { embeddingDim, type ModelParams, movieInputDim } from '../src/core/model/params.ts';
import { IvfIndex, recallAt } from '../src/core/recommend/ann.ts';
import { scoreCandidates } from '../src/core/recommend/candidates.ts';
import { createBitset, setBit } from '../src/core/recommend/rank.ts';
import { readSnapshot } from '../src/core/snapshot/read.ts';
import {
  buildGraphFeeds,
  createSession,
  type GraphFeeds,
  runFullForward,
  selectBackend,
} from '../workers/runtime/ort-session.ts';
import type { BenchApi, ForwardRequest, ForwardResult, GraphConfig, ScoringRequest } from './page/protocol.ts';
import { median } from './stats.ts';
import { degreeStats, type SyntheticGraph, syntheticGraph } from './synthetic-graph.ts';

interface State {
  snapshotGraph: RatingGraph;
  models: Map<ModelVariant, Uint8Array>;
  params: ModelParams;
  graph: RatingGraph | null;
  movieIndex: Int32Array | null;
  feeds: GraphFeeds | null;
  out: { userEmb: Float32Array; movieEmb: Float32Array; dim: number } | null;
}

/** The model's params with the id embedding tiled to one row per item (the TS forward has no movie_index). */
function paramsFor(p: ModelParams, movieIndex: Int32Array | null): ModelParams {
  if (!movieIndex) return p;
  const de = p.config.movieIdEmbeddingDim;
  const tiled = new Float32Array(movieIndex.length * de);
  for (let m = 0; m < movieIndex.length; m++) {
    tiled.set(p.movieIdEmbedding.subarray(movieIndex[m] * de, (movieIndex[m] + 1) * de), m * de);
  }
  return { ...p, numMovies: movieIndex.length, movieIdEmbedding: tiled };
}

/** Lets the page breathe between long synchronous steps (keeps the CDP connection responsive). */
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Reads one artifact file (snapshot.bin, model.<variant>.onnx) from the location given to `load`. */
export type ArtifactReader = (name: string, location: string) => Promise<Uint8Array>;

/** The page's API plus what a driver in the same process can read directly. */
export interface NodeBenchApi extends BenchApi {
  /** The embeddings of the last forward run with `keep: true` (null before one). */
  kept(): { userEmb: Float32Array; movieEmb: Float32Array; dim: number } | null;
}

/** One benchmark API with its own state; `get` fetches (the page) or reads files (Node). */
export function createBenchApi(get: ArtifactReader): NodeBenchApi {
  let state: State | null = null;

  const need = (): State => {
    if (!state) throw new Error('call load() first');
    return state;
  };

  const api: NodeBenchApi = {
    async load(artifactsUrl) {
      const snapshot = readSnapshot(await get('snapshot.bin', artifactsUrl));
      const models = new Map<ModelVariant, Uint8Array>();
      for (const v of ['fp32', 'int8', 'fp16'] as ModelVariant[])
        models.set(v, await get(`model.${v}.onnx`, artifactsUrl));
      const params = readModelParams(models.get('fp32') as Uint8Array);
      state = {
        snapshotGraph: snapshot.graph,
        models,
        params,
        graph: null,
        movieIndex: null,
        feeds: null,
        out: null,
      };
      return {
        userFeatureDim: params.userFeatureDim,
        movieFeatureDim: params.movieFeatureDim,
        numMovies: params.numMovies,
      };
    },

    async prepare(config: GraphConfig) {
      const s = need();
      s.graph = null;
      s.feeds = null;
      s.out = null;
      const t0 = performance.now();
      let synthetic: SyntheticGraph | null = null;
      if (config.items !== undefined) {
        const g0 = s.snapshotGraph;
        synthetic = syntheticGraph(
          {
            items: config.items ?? 10_000,
            users: config.users ?? 2_000,
            edges: config.edges ?? 100_000,
            seed: config.seed ?? 1,
          },
          g0,
        );
      }
      const graph = synthetic?.graph ?? s.snapshotGraph;
      const generateMs = performance.now() - t0;
      await tick();
      const t1 = performance.now();
      const feeds = buildGraphFeeds(graph, s.params, synthetic ? { movieIndex: synthetic.movieIndex } : {});
      const feedsMs = performance.now() - t1;
      s.graph = graph;
      s.movieIndex = synthetic?.movieIndex ?? null;
      s.feeds = feeds;
      const c = s.params.config;
      return {
        name: config.name,
        users: graph.numUsers,
        items: graph.numMovies,
        edges: graph.numEdges,
        userFeatureDim: graph.userFeatureDim,
        movieFeatureDim: graph.movieFeatureDim,
        movieInputDim: movieInputDim(s.params),
        hiddenDim: c.hiddenDim,
        outDim: c.outDim,
        dim: embeddingDim(c),
        generateMs,
        feedsMs,
        userDegree: degreeStats(graph.userPtr),
        itemDegree: degreeStats(graph.moviePtr),
      };
    },

    async forward(req: ForwardRequest): Promise<ForwardResult> {
      const s = need();
      const graph = s.graph;
      const feeds = s.feeds;
      if (!graph || !feeds) throw new Error('call prepare() first');
      const base = { backend: req.backend, variant: req.variant, runsMs: [] as number[] };
      const runs: number[] = [];
      const started = performance.now();
      const more = () => runs.length < req.runs && (runs.length === 0 || performance.now() - started < req.budgetMs);

      if (req.backend === 'ts') {
        const p = paramsFor(s.params, s.movieIndex);
        await tick();
        let t = performance.now();
        let out = forward(graph, p);
        const firstMs = performance.now() - t;
        while (more()) {
          await tick();
          t = performance.now();
          out = forward(graph, p);
          runs.push(performance.now() - t);
        }
        if (req.keep) s.out = { userEmb: out.userEmb, movieEmb: out.movieEmb, dim: out.dim };
        return { ...base, ok: true, detail: 'src/core/model/forward.ts', firstMs, runsMs: runs };
      }

      const choice = await selectBackend({ preferWebGPU: req.backend === 'webgpu' });
      if (choice.backend !== req.backend) return { ...base, ok: false, reason: `no WebGPU adapter (${choice.reason})` };
      if (req.backend === 'webgpu' && req.variant === 'fp16' && !choice.hasShaderF16) {
        return { ...base, ok: false, reason: 'the WebGPU adapter has no shader-f16' };
      }
      const model = s.models.get(req.variant) as Uint8Array;
      let t = performance.now();
      let session: Awaited<ReturnType<typeof createSession>>;
      try {
        // On WebGPU, creation throws if any node would fall back to the CPU EP.
        session = await createSession(model, choice, { disableCpuFallback: req.backend === 'webgpu' });
      } catch (err) {
        return { ...base, ok: false, reason: `session creation failed: ${(err as Error).message.slice(0, 300)}` };
      }
      const createMs = performance.now() - t;
      try {
        t = performance.now();
        let out = await runFullForward(session, feeds);
        const firstMs = performance.now() - t;
        while (more()) {
          out = await runFullForward(session, feeds);
          runs.push(out.ms);
        }
        if (req.keep) s.out = { userEmb: out.userEmb, movieEmb: out.movieEmb, dim: out.dim };
        return { ...base, ok: true, detail: choice.reason, createMs, firstMs, runsMs: runs };
      } catch (err) {
        return { ...base, ok: false, reason: `run failed: ${(err as Error).message.slice(0, 300)}`, createMs };
      } finally {
        await session.session.release().catch(() => undefined);
      }
    },

    async scoring(req: ScoringRequest) {
      const s = need();
      const graph = s.graph;
      const out = s.out;
      if (!graph || !out) throw new Error('run a forward with keep: true first');
      const n = graph.numMovies;
      const dim = out.dim;
      const scale = 1 / (s.params.config.temperature || 1);
      // Seeded query users among those with ratings; each excludes what they rated.
      const users: number[] = [];
      for (let k = 0; users.length < req.queries && k < graph.numUsers * 4; k++) {
        const u = (k * 7919 + 13) % graph.numUsers;
        if (graph.userPtr[u + 1] > graph.userPtr[u] && !users.includes(u)) users.push(u);
      }
      const queries = users.map((u) => {
        const bits = createBitset(n);
        for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) setBit(bits, graph.edgeMovie[e]);
        return { z: out.userEmb.subarray(u * dim, (u + 1) * dim), exclude: bits };
      });
      const time = <T>(f: () => T): { value: T; ms: number } => {
        const t = performance.now();
        const value = f();
        return { value, ms: performance.now() - t };
      };

      const exactMs: number[] = [];
      const truth: Int32Array[] = [];
      for (const q of queries) {
        const ms: number[] = [];
        let top: Int32Array | null = null;
        for (let r = 0; r < req.repeats; r++) {
          const res = time(() => scoreCandidates(q.z, out.movieEmb, dim, n, q.exclude, 20, scale));
          ms.push(res.ms);
          top = res.value.index;
        }
        exactMs.push(median(ms));
        truth.push(top as Int32Array);
        await tick();
      }

      const built = time(() => new IvfIndex(out.movieEmb, n, dim, { seed: 1 }));
      const index = built.value;
      const defaultProbe = index.nprobe;
      const settings = [];
      for (const factor of req.probeFactors) {
        index.nprobe = Math.max(1, Math.round(defaultProbe * factor));
        const ms: number[] = [];
        const recalls: number[] = [];
        let scanned = 0;
        for (let i = 0; i < queries.length; i++) {
          const q = queries[i];
          const perRun: number[] = [];
          for (let r = 0; r < req.repeats; r++) {
            const res = time(() => index.query(q.z, 20, q.exclude, scale));
            perRun.push(res.ms);
            if (r === 0) {
              recalls.push(recallAt(truth[i], res.value.index));
              scanned += res.value.scanned;
            }
          }
          ms.push(median(perRun));
        }
        settings.push({
          nprobe: index.nprobe,
          ms,
          meanRecall: recalls.reduce((a, b) => a + b, 0) / recalls.length,
          minRecall: Math.min(...recalls),
          scannedShare: scanned / queries.length / n,
        });
        await tick();
      }
      return {
        items: n,
        dim,
        exactMs,
        ann: { buildMs: built.ms, bytes: index.bytes, lists: index.lists, settings },
      };
    },

    kept() {
      return state?.out ?? null;
    },
  };
  return api;
}
