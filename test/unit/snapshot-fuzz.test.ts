/**
 * Seeded mutation fuzzing of the snapshot readers (version 1, the graph; version 5, the serving snapshot):
 * every corrupted file must either parse (structure and hash) into exactly the original arrays or fail with
 * an ArtifactFormatError — never another exception, an out-of-bounds read, a hang, or a silently different
 * graph or cache.
 */
import { expect, test } from 'vitest';
import { buildServingSnapshot } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { forward } from '../../src/core/model/forward.ts';
import { FIXED_HEADER_BYTES, SECTION_ENTRY_BYTES } from '../../src/core/snapshot/format.ts';
import { readSnapshot, verifySnapshotHashSync } from '../../src/core/snapshot/read.ts';
import { readServingSnapshot } from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { seededRandom, syntheticDataset } from '../support/synthetic-dataset.ts';

const MUTATIONS = 12_000;

const built = buildGraph(syntheticDataset({ users: 12, movies: 9, ratings: 50, seed: 3 }));
// With the optional movies.links section, so its entry and words are mutated too.
const movies = built.movies.map((m, i) => ({
  ...m,
  links: { imdbId: i % 3 === 0 ? null : 100_000 + i, tmdbId: i % 2 === 0 ? null : 500 + i },
}));
const original = writeSnapshot({ ...built, movies, build: { tool: 'fuzz' } });
const reference = readSnapshot(original.slice());

// The serving snapshot of the same graph, with float16 embeddings and links, so every v2 section and check
// is mutated.
const servingParams = randomParams(
  rng(4),
  { userFeatureDim: reference.graph.userFeatureDim, movieFeatureDim: reference.graph.movieFeatureDim, numMovies: 9 },
  {
    hiddenDim: 4,
    outDim: 3,
    movieIdEmbeddingDim: 2,
    movieScoreBias: true,
    ratingMessages: { center: 2.75, scale: 2.25 },
  },
);
const servingOriginal = buildServingSnapshot({
  snapshot: reference,
  params: servingParams,
  movieEmb: forward(reference.graph, servingParams).movieEmb,
  modelSha256: 'f'.repeat(64),
  embeddingDtype: 'f16',
});
const servingReference = readServingSnapshot(servingOriginal.slice());

type Mutation = (bytes: Uint8Array, rand: () => number) => Uint8Array;
const int = (rand: () => number, n: number) => Math.floor(rand() * n);

const mutationsFor = (sectionCount: number): Record<string, Mutation> => ({
  bitFlip: (b, rand) => {
    const i = int(rand, b.length);
    b[i] ^= 1 << int(rand, 8);
    return b;
  },
  byteOverwrite: (b, rand) => {
    for (let k = 1 + int(rand, 4); k > 0; k--) b[int(rand, b.length)] = int(rand, 256);
    return b;
  },
  headerOverwrite: (b, rand) => {
    b[int(rand, FIXED_HEADER_BYTES + sectionCount * SECTION_ENTRY_BYTES)] = int(rand, 256);
    return b;
  },
  truncate: (b, rand) => b.slice(0, int(rand, b.length)),
  hugeLength: (b, rand) => {
    const entry = FIXED_HEADER_BYTES + int(rand, sectionCount) * SECTION_ENTRY_BYTES;
    const view = new DataView(b.buffer, b.byteOffset);
    const field = entry + (rand() < 0.5 ? 40 : 48);
    const values = [0xffffffff, 0x7fffffff, 0x80000000, b.length, b.length + 16, int(rand, 2 ** 32)];
    view.setUint32(field, values[int(rand, values.length)], true);
    if (rand() < 0.3) view.setUint32(field + 4, int(rand, 2 ** 32), true);
    return b;
  },
  headerField: (b, rand) => {
    const view = new DataView(b.buffer, b.byteOffset);
    const fields = [8, 12, 16, 20, 24, 28];
    view.setUint32(fields[int(rand, fields.length)], rand() < 0.5 ? int(rand, 2 ** 32) : int(rand, 300), true);
    return b;
  },
  appendGarbage: (b, rand) => {
    const out = new Uint8Array(b.length + 1 + int(rand, 64));
    out.set(b);
    for (let i = b.length; i < out.length; i++) out[i] = int(rand, 256);
    return out;
  },
  cutMiddle: (b, rand) => {
    const start = int(rand, b.length);
    const len = 1 + int(rand, 32);
    const out = new Uint8Array(b.length - Math.min(len, b.length - start));
    out.set(b.subarray(0, start));
    out.set(b.subarray(start + len), start);
    return out;
  },
});
const mutations = mutationsFor(reference.sections.length);
const servingMutations = mutationsFor(servingReference.sections.length);

/**
 * Runs MUTATIONS seeded mutations of `original` through `read` (then the hash check): each must either read
 * back as the original (`same` asserts it) or be an ArtifactFormatError naming the file, and at least 90%
 * must be rejected.
 */
function fuzzRoundTrips<T>(
  original: Uint8Array,
  mutationsOf: ReturnType<typeof mutationsFor>,
  seed: number,
  read: (bytes: Uint8Array, file: string) => T,
  same: (read: T) => void,
): void {
  const rand = seededRandom(seed);
  const names = Object.keys(mutationsOf);
  const outcomes: Record<string, number> = { parsed: 0, rejected: 0 };
  for (let i = 0; i < MUTATIONS; i++) {
    const name = names[i % names.length];
    const mutated = mutationsOf[name](original.slice(), rand);
    try {
      const snap = read(mutated, 'fuzz.bin');
      verifySnapshotHashSync(mutated, 'fuzz.bin');
      // Only a no-op mutation may get here: everything must equal the original.
      same(snap);
      outcomes.parsed++;
    } catch (err) {
      if (!(err instanceof ArtifactFormatError)) {
        throw new Error(`mutation ${i} (${name}) threw ${String(err)}`);
      }
      expect(err.file).toBe('fuzz.bin');
      outcomes.rejected++;
    }
  }
  expect(outcomes.parsed + outcomes.rejected).toBe(MUTATIONS);
  expect(outcomes.rejected).toBeGreaterThan(MUTATIONS * 0.9);
}

test(`${MUTATIONS} seeded mutations: an equal round trip or an ArtifactFormatError, nothing else`, () => {
  expect(reference.sections.at(-1)?.name).toBe('movies.links');
  fuzzRoundTrips(original, mutations, 20_260_101, readSnapshot, (snap) => {
    expect(snap.graph).toEqual(reference.graph);
    expect(snap.featureSpec).toEqual(reference.featureSpec);
    expect(snap.movies.titles()).toEqual(reference.movies.titles());
    expect(Array.from(snap.movies.genreMask)).toEqual(Array.from(reference.movies.genreMask));
    expect(Array.from(snap.movies.links ?? [])).toEqual(Array.from(reference.movies.links ?? [-1]));
  });
});

test('structure-only reads of header mutations never return an out-of-range graph', () => {
  // Without the hash check, a mutation may still parse; then the graph must still be internally valid.
  const rand = seededRandom(99);
  for (let i = 0; i < 3000; i++) {
    const mutated = mutations.headerOverwrite(original.slice(), rand);
    let snap: ReturnType<typeof readSnapshot>;
    try {
      snap = readSnapshot(mutated);
    } catch (err) {
      expect(err).toBeInstanceOf(ArtifactFormatError);
      continue;
    }
    const g = snap.graph;
    for (const m of g.edgeMovie) expect(m >= 0 && m < g.numMovies).toBe(true);
    for (const u of g.movieAdjUser) expect(u >= 0 && u < g.numUsers).toBe(true);
    expect(g.userFeatures.length).toBe(g.numUsers * g.userFeatureDim);
  }
});

/** Every array and fact of a serving snapshot, for comparing a parsed mutation with the original. */
function servingContents(s: ReturnType<typeof readServingSnapshot>) {
  return {
    meta: [s.dataset, s.counts, s.globalMeanRating, s.model, s.build, s.featureSpec],
    titles: s.movies.titles(),
    arrays: [
      s.movies.ids,
      s.movies.year,
      s.movies.genreMask,
      s.movies.popularity,
      s.movies.meanRating,
      s.movies.links,
      s.movies.features,
      s.visitor.neighbourSums,
      s.visitor.degree,
      s.embedding.values,
    ].map((a) => Array.from(a ?? [])),
  };
}

test(`serving snapshot (version 5): ${MUTATIONS} seeded mutations, an equal round trip or an ArtifactFormatError`, () => {
  expect(servingReference.embedding.dtype).toBe('f16');
  expect(servingReference.movies.links).not.toBeNull();
  const expected = servingContents(servingReference);
  fuzzRoundTrips(servingOriginal, servingMutations, 20_260_102, readServingSnapshot, (snap) => {
    expect(servingContents(snap)).toEqual(expected);
  });
});

test('serving snapshot: structure-only reads of mutations never return arrays of the wrong shape or NaN where none is allowed', () => {
  // Without the hash check a payload mutation may parse; what the visitor path trusts must still hold.
  const rand = seededRandom(98);
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const mutate = i % 2 ? servingMutations.headerOverwrite : servingMutations.bitFlip;
    let s: ReturnType<typeof readServingSnapshot>;
    try {
      s = readServingSnapshot(mutate(servingOriginal.slice(), rand));
    } catch (err) {
      expect(err).toBeInstanceOf(ArtifactFormatError);
      continue;
    }
    parsed++;
    const n = s.movies.ids.length;
    expect(s.movies.features.length).toBe(n * s.movies.featureDim);
    expect(s.visitor.neighbourSums.length).toBe(n * s.visitor.neighbourWidth);
    expect(s.embedding.values.length).toBe(n * s.embedding.dim);
    for (const v of s.visitor.neighbourSums) expect(Number.isFinite(v)).toBe(true);
    for (const d of s.visitor.degree) expect(d >= 0).toBe(true);
    for (const h of s.embedding.values) expect((h & 0x7c00) !== 0x7c00).toBe(true);
  }
  expect(parsed).toBeGreaterThan(0);
});
