/**
 * `recommend --ratings FILE [--n 20] [--artifacts DIR] [--variant fp32|int8]`: top-N for a ratings file
 * (`[{"movieId": …, "rating": …}]`, or a CineSage export) through the same code the browser uses — the
 * weights read back from the ONNX file, the exact visitor update, candidate scoring, calibrated predicted
 * ratings — printed as JSON.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { userFeatureRow } from '../../src/core/features.ts';
import { readModelParams } from '../../src/core/model/onnx-weights.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { predictRating, rankingQuery, userRatingContext } from '../../src/core/model/predict.ts';
import { buildVisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { parseProfile } from '../../src/core/profile-io.ts';
import { explain, scoreCandidates } from '../../src/core/recommend/candidates.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { modelFile } from './build.ts';
import { ARTIFACTS_DIR, SNAPSHOT_FILE } from './paths.ts';

export async function recommendCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ratings: { type: 'string' },
      n: { type: 'string', default: '20' },
      artifacts: { type: 'string', default: ARTIFACTS_DIR },
      variant: { type: 'string', default: 'fp32' },
    },
    strict: true,
  });
  if (!values.ratings) throw new Error('recommend needs --ratings FILE (JSON: [{"movieId": 50, "rating": 5}, …])');
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive whole number, not ${values.n}`);
  const snapshot = readSnapshot(await readFile(join(values.artifacts, SNAPSHOT_FILE)), SNAPSHOT_FILE);
  const params = readModelParams(
    await readFile(join(values.artifacts, modelFile(values.variant))),
    modelFile(values.variant),
  );
  const g = snapshot.graph;
  const index = new Map<number, number>();
  for (let m = 0; m < g.numMovies; m++) index.set(g.movieIds[m], m);
  const halfStars = snapshot.dataset.format === 'ml-latest';
  const ratings = parseProfile(await readFile(values.ratings, 'utf8'), {
    hasMovie: (id) => index.has(id),
    minStars: halfStars ? 0.5 : 1,
    maxStars: 5,
    step: halfStars ? 0.5 : 1,
  });
  const rated = ratings.map((r) => ({ movie: index.get(r.movieId) as number, stars: r.stars }));
  const dim = embeddingDim(params.config);
  const cache = buildVisitorCache(g, params);
  const exclude = createBitset(g.numMovies);
  for (const r of rated) setBit(exclude, r.movie);
  const titles = snapshot.movies.titles();
  const scale = 1 / (params.config.temperature || 1);
  let items: object[];
  if (rated.length === 0) {
    items = [];
  } else {
    const z = visitorEmbedding(
      cache,
      params,
      userFeatureRow(snapshot.featureSpec, null),
      rated.map((r) => r.movie),
      rated.map((r) => r.stars),
    );
    const top = scoreCandidates(rankingQuery(params, z), cache.movieEmb, dim, g.numMovies, exclude, n, scale);
    const ctx = userRatingContext(
      params,
      z,
      rated.map((r) => r.stars),
    );
    items = [...top.index].map((m, i) => ({
      movieId: g.movieIds[m],
      title: titles[m],
      score: Number(top.score[i].toFixed(4)),
      predictedRating: Number(predictRating(params, ctx, cache.movieEmb, m, top.score[i]).toFixed(2)),
      because: explain(m, rated, cache.movieEmb, dim).map((r) => g.movieIds[r]),
    }));
  }
  process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
}
