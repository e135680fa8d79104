/**
 * `recommend --ratings FILE [--n 20] [--dataset NAME | --data DIR | --artifacts DIR] [--variant fp32|int8]`:
 * top-N for a ratings file
 * (`[{"movieId": …, "rating": …}]`, or a CineSage export) through the code the browser's worker runs — the
 * catalog and its rating rules (src/core/catalog.ts), the weights read back from the ONNX file, the exact
 * visitor update, and the one `recommend()` (src/core/recommend/recommend.ts: filter, exact or ANN scoring,
 * predicted stars, reasons; the most-rated movies when the file has no ratings) — printed as JSON.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Catalog } from '../../src/core/catalog.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { buildVisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { parseProfile } from '../../src/core/profile-io.ts';
import { raterListsOf } from '../../src/core/recommend/neighbours.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { createRanker, recommend } from '../../src/core/recommend/recommend.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { knownDataset, resolveDataset } from '../data/datasets.ts';
import { modelFile } from './build.ts';
import { artifactsComplete } from './build-default.ts';
import { ARTIFACTS_DIR, artifactsDirFor, SNAPSHOT_FILE } from './paths.ts';

export async function recommendCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ratings: { type: 'string' },
      n: { type: 'string', default: '20' },
      artifacts: { type: 'string' },
      dataset: { type: 'string' },
      data: { type: 'string' },
      variant: { type: 'string', default: 'fp32' },
    },
    strict: true,
  });
  if (!values.ratings) throw new Error('recommend needs --ratings FILE (JSON: [{"movieId": 50, "rating": 5}, …])');
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive whole number, not ${values.n}`);
  const artifacts = await recommendArtifactsDir(values);
  const snapshot = readSnapshot(await readFile(join(artifacts, SNAPSHOT_FILE)), SNAPSHOT_FILE);
  const params = readModelParams(await readFile(join(artifacts, modelFile(values.variant))), modelFile(values.variant));
  const catalog = new Catalog(snapshot);
  const text = await readFile(values.ratings, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the ratings file ${values.ratings} (${err.code ?? err.message})`);
  });
  const ratings = parseProfile(text, catalog.rules);
  const rated = ratings.map((r) => ({ movie: catalog.movieIndex(r.movieId), stars: r.stars }));
  const g = snapshot.graph;
  const dim = embeddingDim(params.config);
  const cache = buildVisitorCache(g, params);
  const exclude = createBitset(g.numMovies);
  for (const r of rated) setBit(exclude, r.movie);
  const z =
    rated.length > 0
      ? visitorEmbedding(
          cache,
          params,
          userFeatureRow(snapshot.featureSpec, null),
          rated.map((r) => r.movie),
          rated.map((r) => r.stars),
        )
      : null;
  const picks = recommend(catalog, createRanker(params, cache.movieEmb, g.numMovies, dim, raterListsOf(g)), {
    z,
    movieEmb: cache.movieEmb,
    rated,
    exclude,
    filter: {},
    n,
  });
  const items = picks.map((p) => ({
    movieId: g.movieIds[p.movie],
    title: catalog.titles[p.movie],
    score: Number(p.score.toFixed(4)),
    predictedRating: Number(p.predicted.toFixed(2)),
    because: p.because.map((r) => g.movieIds[r]),
  }));
  process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
}

/**
 * The artifacts to recommend from: `--artifacts DIR`; for `--dataset` / `--data` the served set when it is
 * that data set's, else its build in `artifacts/<key>/`; otherwise whatever `public/artifacts/` serves.
 */
export async function recommendArtifactsDir(values: {
  artifacts?: string;
  dataset?: string;
  data?: string;
}): Promise<string> {
  const given = [values.artifacts, values.dataset, values.data].filter((v) => v !== undefined).length;
  if (given > 1) throw new Error('give one of --artifacts, --dataset and --data');
  if (values.artifacts !== undefined) return values.artifacts;
  if (values.dataset === undefined && values.data === undefined) return ARTIFACTS_DIR;
  const key =
    values.data !== undefined
      ? (await resolveDataset({ data: values.data })).key
      : knownDataset(values.dataset as string).name;
  if (artifactsComplete(ARTIFACTS_DIR, key)) return ARTIFACTS_DIR;
  const dir = artifactsDirFor(key);
  if (artifactsComplete(dir, key)) return dir;
  const how = values.data !== undefined ? `--data ${values.data}` : `--dataset ${key}`;
  throw new Error(`no built artifacts for ${key} (${ARTIFACTS_DIR} or ${dir}): run npm run artifacts -- ${how}`);
}
