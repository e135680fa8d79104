/**
 * What the serving snapshot saves: raw and gzip sizes against the version-1 snapshot on an ML-100K-shaped
 * synthetic data set (printed, and asserted smaller), `servingSnapshotSize` against the bytes actually
 * written, and the computed size of an ML-32M-shaped catalog (printed; no data is built or committed).
 */
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { buildServingSnapshot, servingSnapshotSize } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { forward } from '../../src/core/model/forward.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { encodeGaps } from '../../src/core/snapshot/gaps.ts';
import { readSnapshot } from '../../src/core/snapshot/read.ts';
import { readServingSnapshot } from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const fmt = (n: number) => `${(n / 1e6).toFixed(3)} MB`;
const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;

test('ML-100K-shaped: the serving snapshot is smaller than the graph snapshot, raw and gzipped; the size formula is exact', () => {
  const built = buildGraph(syntheticDataset({ users: 943, movies: 1682, ratings: 100_000, seed: 17 }));
  const movies = built.movies.map((m, i) => ({ ...m, links: { imdbId: 100_000 + i, tmdbId: 800 + i } }));
  const v1Bytes = writeSnapshot({ ...built, movies, build: { tool: 'size' } });
  const v1 = readSnapshot(v1Bytes);
  const g = v1.graph;
  const config = {
    hiddenDim: 32,
    outDim: 32,
    movieIdEmbeddingDim: 32,
    skip: 'concat' as const,
    normalize: true,
    temperature: 0.1,
    ratingMessages: { center: 2.75, scale: 2.25 },
  };
  const p = randomParams(rng(3), { ...g, numMovies: g.numMovies }, config);
  const movieEmb = forward(g, p).movieEmb;
  const lines = [`v1 snapshot (graph):  ${fmt(v1Bytes.length)}, gzip ${fmt(gz(v1Bytes))}`];
  for (const embeddingDtype of ['f32', 'f16'] as const) {
    const bytes = buildServingSnapshot({
      snapshot: v1,
      params: p,
      movieEmb,
      modelSha256: 'e'.repeat(64),
      embeddingDtype,
    });
    const s = readServingSnapshot(bytes);
    const json = (name: string) => s.sections.find((x) => x.name === name)?.byteLength ?? -1;
    const computed = servingSnapshotSize({
      movies: g.numMovies,
      userFeatureDim: g.userFeatureDim,
      movieFeatureDim: g.movieFeatureDim,
      genres: s.movies.genres.length,
      embeddingDim: embeddingDim(config),
      embeddingDtype,
      ratingMessages: true,
      titleBytes: s.movies.titleBytes.length,
      idBytes: encodeGaps([0, g.numMovies], s.movies.ids, true).length,
      titleOffsetBytes: encodeGaps([0, g.numMovies + 1], s.movies.titleOffsets, false).length,
      links: true,
      idEmbeddingDim: 32,
      weightCount: s.sections.find((x) => x.name === 'model.weights')!.byteLength / 4,
      metaBytes: json('meta'),
      featureSpecBytes: json('featureSpec'),
      paramsBytes: json('model.params'),
    });
    expect(computed.total).toBe(bytes.length);
    for (const x of s.sections) expect(computed.sections[x.name], x.name).toBe(x.byteLength);
    expect(bytes.length).toBeLessThan(v1Bytes.length);
    expect(gz(bytes)).toBeLessThan(gz(v1Bytes));
    lines.push(`serving, ${embeddingDtype} z_m: ${fmt(bytes.length)}, gzip ${fmt(gz(bytes))}`);
  }
  console.log(
    `ML-100K-shaped synthetic (${g.numUsers} users, ${g.numMovies} movies, ${g.numEdges} ratings):\n  ${lines.join('\n  ')}`,
  );
});

test('ML-32M-shaped catalog: computed serving snapshot sizes', () => {
  // 87,585 movies; "latest" data: 7 user columns, 20 genres (23 movie columns), links; the shipped model
  // shape (D = 64, rating-aware messages; +1 column with a score bias); 25.9 B per title as measured on
  // ml-latest-small's movies.csv; ids and title offsets one varint byte each (ids up to ~290k for 87,585
  // movies are a few apart, titles under 128 bytes).
  const base = {
    movies: 87_585,
    userFeatureDim: 7,
    movieFeatureDim: 23,
    genres: 20,
    ratingMessages: true,
    titleBytes: Math.round(87_585 * 25.9),
    idBytes: 87_585,
    titleOffsetBytes: 87_586,
    links: true,
    idEmbeddingDim: 32,
    weightCount: 13_000,
    metaBytes: 500,
    featureSpecBytes: 1500,
    paramsBytes: 600,
  };
  const rows: string[] = [];
  for (const embeddingDim of [64, 65]) {
    for (const embeddingDtype of ['f32', 'f16'] as const) {
      const { total, sections } = servingSnapshotSize({ ...base, embeddingDim, embeddingDtype });
      rows.push(
        `D=${embeddingDim} ${embeddingDtype}: ${fmt(total)} (embedding ${fmt(sections['movies.embedding'])}, ` +
          `sums ${fmt(sections['visitor.neighbourSums'])}, features ${fmt(sections['movies.features'])})`,
      );
      expect(total).toBeLessThan(75e6);
    }
  }
  console.log(`ML-32M-shaped serving snapshot, computed:\n  ${rows.join('\n  ')}`);
});
