/**
 * Builds the artifact set the site serves: the graph snapshot, the trained model exported to ONNX in every
 * variant (fp32, int8 weight-only, fp16 for adapters with shader-f16), a serving snapshot per visitor-path
 * variant (catalog, exact-update cache and movie embeddings: what a first visit downloads), and
 * `manifest.json` listing each file with size, SHA-256 and the training facts. Snapshot and model come from the same graph in one run, so
 * they always belong together.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DatasetFormat } from '../../src/core/dataset.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { formatBytes } from '../../src/core/units.ts';
import { buildGraph } from '../data/build-graph.ts';
import { type DatasetSource, resolveDataset } from '../data/datasets.ts';
import { loadMovieLens } from '../data/movielens.ts';
import { exportFullGraphModel } from '../onnx/export-model.ts';
import { formatProgress } from '../train/progress.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions, trainModel } from '../train/train.ts';
import { type ArtifactFile, snapshotArtifact, writeManifest } from './manifest.ts';
import { ARTIFACTS_DIR, buildKey, SNAPSHOT_FILE } from './paths.ts';
import { SERVING_VARIANTS, servingArtifact } from './serving-snapshot.ts';

export const MODEL_FORMAT_VERSION = 1;
export const MODEL_VARIANTS = ['fp32', 'int8', 'fp16'] as const;
export const modelFile = (variant: string) => `model.${variant}.onnx`;

export interface BuildArtifactsOptions {
  /** A named data set (`ml-100k`, `ml-latest-small`; default ml-100k unless a folder is given). */
  dataset?: string;
  /** A folder of MovieLens files (`--data`; `dir` is the older name). */
  data?: string;
  format?: DatasetFormat;
  dir?: string;
  out?: string;
  excludeUsers?: Set<number>;
  train?: Partial<TrainOptions>;
  log?: (line: string) => void;
}

/**
 * The data folder: `dir` as given, else ML-100K found (MOVIELENS_DIR, ./data, ../shared/datasets) or
 * downloaded from GroupLens with a checksum. (`resolveDataset` handles the other named data sets.)
 */
export async function locateData(
  format: DatasetFormat | undefined,
  dir: string | undefined,
  log: (l: string) => void,
): Promise<string> {
  if (dir) return dir;
  if (format !== undefined && format !== 'ml-100k') throw new Error(`--dir is required for ${format}`);
  return (await resolveDataset({ dataset: 'ml-100k', log })).dir;
}

export async function buildArtifacts(options: BuildArtifactsOptions = {}): Promise<{ dir: string; ms: number }> {
  const started = performance.now();
  const log = (line: string) =>
    (options.log ?? ((l) => process.stderr.write(`${l}\n`)))(
      `[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`,
    );
  const out = options.out ?? ARTIFACTS_DIR;
  await mkdir(out, { recursive: true });

  const folder = options.data ?? options.dir;
  if (folder === undefined && options.format !== undefined && options.format !== 'ml-100k' && !options.dataset) {
    throw new Error(`--data DIR (or --dataset NAME) is required for ${options.format}`);
  }
  const source: DatasetSource = await resolveDataset({
    dataset: folder === undefined ? options.dataset : undefined,
    data: folder,
    format: options.format,
    log,
  });
  const dir = source.dir;
  const format = options.format ?? source.format;
  log(`1/3 data: loading ${source.key} (${format ?? 'format detected'}) from ${relative('.', dir) || '.'}`);
  const dataset = await loadMovieLens(dir, format);
  const built = buildGraph(dataset, { excludeUsers: options.excludeUsers });
  const g = built.graph;
  log(
    `    ${g.numUsers} users, ${g.numMovies} movies, ${g.numEdges} ratings${options.excludeUsers ? ` (${options.excludeUsers.size} users held out)` : ''}`,
  );
  const snapshotBytes = writeSnapshot({ ...built, build: { tool: 'cinesage artifacts', source: basename(dir) } });
  await writeFile(join(out, SNAPSHOT_FILE), snapshotBytes);
  log(
    `    wrote ${SNAPSHOT_FILE}: ${formatBytes(snapshotBytes.length)} (${formatBytes(gzipSync(snapshotBytes).length)} gzipped)`,
  );

  log('2/3 training GraphSAGE');
  const result = trainModel(g, {
    ...options.train,
    unknownUserRow: userFeatureRow(built.spec, null),
    onProgress: (p) => log(`    ${formatProgress(p)}`),
    onLog: (line) => log(`    ${line}`),
  });
  log(
    `    trained in ${(result.ms / 1000).toFixed(1)} s (${result.mode}${result.stoppedOnBudget ? ', stopped on the time budget' : ''}); best validation Recall@20 ${result.bestValRecall.toFixed(4)} at epoch ${result.bestEpoch} (${result.valUsers} users)`,
  );

  log('3/3 exporting ONNX models and their serving snapshots');
  const files: ArtifactFile[] = [];
  const parsed = readSnapshot(snapshotBytes, SNAPSHOT_FILE);
  for (const variant of MODEL_VARIANTS) {
    const bytes = exportFullGraphModel(result.params, { variant });
    await writeFile(join(out, modelFile(variant)), bytes);
    log(`    ${modelFile(variant)}: ${formatBytes(bytes.length)} (${formatBytes(gzipSync(bytes).length)} gzipped)`);
    files.push({ name: modelFile(variant), kind: 'model', formatVersion: MODEL_FORMAT_VERSION, metadata: { variant } });
    if (!(SERVING_VARIANTS as readonly string[]).includes(variant)) continue;
    const serving = servingArtifact(parsed, { name: modelFile(variant), variant, bytes }, log);
    await writeFile(join(out, serving.entry.name), serving.bytes);
    log(
      `    ${serving.entry.name}: ${formatBytes(serving.bytes.length)} (${formatBytes(gzipSync(serving.bytes).length)} gzipped)`,
    );
    files.push(serving.entry);
  }
  const config = { ...DEFAULT_TRAIN_OPTIONS, ...options.train };
  await writeManifest(
    out,
    [snapshotArtifact(dataset, g, readSnapshot(snapshotBytes, SNAPSHOT_FILE).contentHash), ...files],
    {
      dataset: {
        key: buildKey(source.key, options.excludeUsers?.size),
        name: dataset.name,
        format: dataset.format,
        ...(options.excludeUsers ? { excludedUsers: options.excludeUsers.size } : {}),
      },
      training: {
        seed: config.seed,
        config: result.params.config,
        loss: config.loss,
        epochs: result.history.length,
        bestEpoch: result.bestEpoch,
        bestValidationRecall20: result.bestValRecall,
        validationUsers: result.valUsers,
        popularityPrior: result.popularityPrior,
        neighbourWeight: result.params.calibration.neighbourWeight ?? 0,
        mode: result.mode,
        ...(result.mode === 'sampled'
          ? { sampleUsersPerEpoch: result.sampleUsers, sampleEdgesPerEpoch: result.sampleEdges }
          : {}),
        ms: Math.round(result.ms),
      },
    },
  );
  const ms = performance.now() - started;
  log(`artifacts ready in ${relative('.', out)} (${(ms / 1000).toFixed(1)} s)`);
  return { dir: out, ms };
}
