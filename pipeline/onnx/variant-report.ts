/**
 * Measures what each exported model variant costs: file size, forward time, and its ranking quality on the
 * u1 split (pipeline/eval/protocols.ts, transductive) when the exported file itself runs in onnxruntime-web
 * (wasm, 1 thread). The model is trained here on u1.base with the trainer's defaults unless a model file is
 * given; the variants are exported from its weights.
 *
 *   npx node pipeline/onnx/variant-report.ts [--model public/artifacts/model.fp32.onnx] [--epochs N]
 *
 * A given model must have ML-100K's movies and features. The shipped artifacts were trained on every
 * rating, u1.test included, so their numbers here are optimistic; only a model trained here is honest.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { userFeatureRow } from '../../src/core/features.ts';
import type { ModelVariant } from '../../src/core/model/onnx-contract.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { buildGraphFeeds, createSession, runFullForward, selectBackend } from '../../workers/runtime/ort-session.ts';
import { findMovieLensDir } from '../data/movielens.ts';
import { evaluate } from '../eval/harness.ts';
import { u1Split } from '../eval/protocols.ts';
import { trainModel } from '../train/train.ts';
import { exportFullGraphModel } from './export-model.ts';

const { values } = parseArgs({ options: { model: { type: 'string' }, epochs: { type: 'string' } } });
const dir = findMovieLensDir();
if (!dir) throw new Error('ML-100K not found (set MOVIELENS_DIR)');
const split = await u1Split(dir);
const g = split.graph;

let params: ModelParams;
if (values.model) params = readModelParams(new Uint8Array(await readFile(values.model)), values.model);
else {
  const t0 = performance.now();
  params = trainModel(g, {
    unknownUserRow: userFeatureRow(split.built.spec, null),
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  }).params;
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const wasm = await selectBackend({ adapterInfo: null });
const rows: string[] = [
  '| variant | bytes | Recall@20 | NDCG@20 | HR@10 | forward ms (wasm, 1 thread) |',
  '|---|---|---|---|---|---|',
];
for (const variant of ['fp32', 'int8', 'fp16'] as ModelVariant[]) {
  const bytes = exportFullGraphModel(params, { variant });
  const s = await createSession(bytes, wasm);
  const feeds = buildGraphFeeds(g, params);
  await runFullForward(s, feeds); // warm-up
  const out = await runFullForward(s, feeds);
  await s.session.release();
  const d = out.dim;
  const score = await evaluate(
    split,
    {
      name: variant,
      fit: () => ({
        scoreUser(u, scores) {
          for (let m = 0; m < g.numMovies; m++) {
            let dot = 0;
            for (let j = 0; j < d; j++) dot += out.userEmb[u * d + j] * out.movieEmb[m * d + j];
            scores[m] = dot;
          }
        },
        scoreNewUser() {
          throw new Error('transductive only');
        },
      }),
    },
    1,
  );
  rows.push(
    `| ${variant} | ${bytes.length} | ${score.recall20.toFixed(4)} | ${score.ndcg20.toFixed(4)} | ${score.hr10.toFixed(4)} | ${out.ms.toFixed(1)} |`,
  );
}
console.log(rows.join('\n'));
