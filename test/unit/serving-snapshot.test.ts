/**
 * The serving snapshot (format version 5, docs/snapshot-format.md § Serving snapshot): every section
 * survives a write and a read as a zero-copy view, the catalog facts equal what `Catalog` computes from the
 * graph, the cache equals `buildVisitorCache`, version 1 reading is unchanged, each validation rule is an
 * `ArtifactFormatError` naming the file, and the float16 conversion is exact on its edge cases.
 */
import { describe, expect, test } from 'vitest';
import { buildServingSnapshot } from '../../pipeline/artifacts/serving-snapshot.ts';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { Catalog, graphMeanRatings } from '../../src/core/catalog.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import { f16BitsToF32, f32ToF16Bits, toF16 } from '../../src/core/model/float16.ts';
import { forward } from '../../src/core/model/forward.ts';
import { neighbourWidth } from '../../src/core/model/params.ts';
import {
  buildVisitorCache,
  emptyVisitorCache,
  setVisitorRows,
  type VisitorRow,
  visitorCacheFromServing,
  visitorEmbedding,
} from '../../src/core/model/visitor.ts';
import { decodeScalarCodes } from '../../src/core/recommend/scalar-codes.ts';
import { encodeContainer } from '../../src/core/snapshot/container.ts';
import {
  FIXED_HEADER_BYTES,
  HEADER,
  SECTION_ENTRY_BYTES,
  SERVING_FORMAT_VERSION,
  type ServingSnapshot,
} from '../../src/core/snapshot/format.ts';
import { readSnapshot, verifySnapshotHash, verifySnapshotHashSync } from '../../src/core/snapshot/read.ts';
import {
  readServingCatalog,
  readServingPersonal,
  readServingSnapshot,
  servingCatalogEnd,
  servingMovieEmbeddings,
  servingPersonalEnd,
  servingRowLayout,
  snapshotVersion,
} from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { writeServingSnapshot } from '../../src/core/snapshot/write-serving.ts';
import { randomParams, rng } from '../helpers/random-model.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const MODEL_SHA = 'c0ffee'.padEnd(64, '0');

// Fewer ratings than movies × users can cover, so some movies have none (NaN mean, degree 0).
const built = buildGraph(syntheticDataset({ users: 30, movies: 40, ratings: 90, seed: 11 }));
const withLinks = built.movies.map((m, i) => ({ ...m, links: { imdbId: 1000 + i, tmdbId: i % 3 ? 77 + i : null } }));
const v1Bytes = writeSnapshot({ ...built, movies: withLinks, build: { tool: 'test' } });
const v1 = readSnapshot(v1Bytes);
const g = v1.graph;
const dims = { userFeatureDim: g.userFeatureDim, movieFeatureDim: g.movieFeatureDim, numMovies: g.numMovies };
const p = randomParams(rng(5), dims, {
  hiddenDim: 6,
  outDim: 5,
  movieIdEmbeddingDim: 3,
  movieScoreBias: true,
  ratingMessages: { center: 2.75, scale: 2.25 },
});
const movieEmb = forward(g, p).movieEmb;
const build = (embeddingDtype: 'f32' | 'f16', snapshot = v1) =>
  buildServingSnapshot({ snapshot, params: p, movieEmb, modelSha256: MODEL_SHA, embeddingDtype });
const bytes32 = build('f32');
const bytes16 = build('f16');

function expectFormatError(fn: () => unknown, message: RegExp, file = 'serving.bin') {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ArtifactFormatError);
  expect((caught as ArtifactFormatError).file).toBe(file);
  expect((caught as Error).message).toMatch(message);
}

describe('serving snapshot round trip', () => {
  test('every section survives, as views into the file with no copy', async () => {
    expect(g.numEdges).toBeGreaterThan(0);
    const s = readServingSnapshot(bytes32.buffer as ArrayBuffer);
    expect(s.formatVersion).toBe(5);
    expect(snapshotVersion(bytes32)).toBe(5);
    expect(snapshotVersion(v1Bytes)).toBe(1);
    expect(s.dataset).toEqual(v1.dataset);
    expect(s.counts).toEqual({ users: g.numUsers, movies: g.numMovies, ratings: g.numEdges });
    expect(s.build).toEqual({ tool: 'test', sourceSnapshot: v1.contentHash });
    expect(s.model).toEqual({
      sha256: MODEL_SHA,
      embeddingDim: 6 + 5 + 1, // concat h1, h2, and the score-bias column
      embeddingDtype: 'f32',
      ratingMessages: { center: 2.75, scale: 2.25 },
    });
    expect(s.featureSpec).toEqual(v1.featureSpec);
    expect(s.movies.ids).toEqual(g.movieIds);
    expect(s.movies.titles()).toEqual(v1.movies.titles());
    expect(s.movies.title(3)).toBe(v1.movies.title(3));
    for (const k of ['titleOffsets', 'titleBytes', 'year', 'genreMask', 'popularity', 'links'] as const) {
      expect(s.movies[k], k).toEqual(v1.movies[k]);
    }
    expect(s.movies.genres).toEqual(v1.movies.genres);
    expect(s.movies.features).toEqual(g.movieFeatures);
    expect(s.movies.featureDim).toBe(g.movieFeatureDim);
    const cache = buildVisitorCache(g, p, movieEmb);
    expect(s.visitor.neighbourSums).toEqual(cache.movieNeighSum);
    expect(s.visitor.neighbourWidth).toBe(2 * g.userFeatureDim);
    expect(s.visitor.degree).toEqual(cache.movieDeg);
    expect(s.embedding.dtype).toBe('f32');
    expect(s.embedding.values).toEqual(movieEmb);
    expect(servingMovieEmbeddings(s)).toBe(s.embedding.values);
    // No edges, no users: nothing of the graph's CSR or user rows is in the file.
    expect(s.sections.map((x) => x.name).filter((n) => n.startsWith('graph.'))).toEqual([]);
    for (const x of s.sections) expect(x.offset % 16).toBe(0);
    expect(s.visitor.neighbourSums.buffer).toBe(bytes32.buffer);
    expect(s.embedding.values.buffer).toBe(bytes32.buffer);
    await verifySnapshotHash(bytes32);
    verifySnapshotHashSync(bytes16);
  });

  test('the catalog facts equal what Catalog computes from the graph (means, NaN for none, the prior)', () => {
    const s = readServingSnapshot(bytes32);
    const catalog = new Catalog(v1);
    expect(s.movies.meanRating).toEqual(catalog.meanRating);
    const unrated = [...s.visitor.degree].filter((d) => d === 0).length;
    expect(unrated).toBeGreaterThan(0);
    expect([...s.movies.meanRating].filter(Number.isNaN).length).toBe(unrated);
    // priorStars from the serving file alone, the formula of Catalog.priorStars.
    for (let m = 0; m < g.numMovies; m++) {
      const n = s.movies.popularity[m];
      const mean = s.movies.meanRating[m];
      const prior = n > 0 ? (mean * n + s.globalMeanRating * 5) / (n + 5) : s.globalMeanRating;
      expect(prior).toBe(catalog.priorStars(m));
    }
    expect(graphMeanRatings(g).meanRating).toEqual(catalog.meanRating);
  });

  test("the catalog is the file's prefix: read from it alone, it is the catalog of the whole file", () => {
    const full = readServingSnapshot(bytes32);
    const end = servingCatalogEnd(full.sections);
    expect(end).toBeLessThan(bytes32.length / 2);
    // What a browser has mid-download: the file's full length, only the prefix filled.
    const partial = new Uint8Array(bytes32.length);
    partial.set(bytes32.subarray(0, end));
    const early = readServingCatalog(partial);
    const fromV1 = new Catalog(v1);
    const fromPrefix = new Catalog(early);
    expect(fromPrefix.titles).toEqual(fromV1.titles);
    expect(fromPrefix.movieIds).toEqual(fromV1.movieIds);
    expect(fromPrefix.meanRating).toEqual(fromV1.meanRating);
    expect([...fromPrefix.byPopularity]).toEqual([...fromV1.byPopularity]);
    expect(fromPrefix.counts).toEqual(fromV1.counts);
    // The links follow the scoring codes: the prefix's catalog has none until the whole file attaches them.
    expect(early.movies.links).toBeNull();
    fromPrefix.attachLinks(full.movies.links);
    for (let m = 0; m < g.numMovies; m++) {
      expect(fromPrefix.summary(m)).toEqual(fromV1.summary(m));
      expect(fromPrefix.priorStars(m)).toBe(fromV1.priorStars(m));
    }
    // The prefix is all of it: without its last 4 bytes (the last movie's mean rating) it is not the same.
    const short = new Uint8Array(bytes32.length);
    short.set(bytes32.subarray(0, end - 4));
    expect(() => readServingCatalog(short)).toThrow(/meanRating/);
  });

  test('float16 embeddings are the nearest-even halves of the float32 ones', () => {
    const s = readServingSnapshot(bytes16);
    expect(s.embedding.dtype).toBe('f16');
    expect(s.model.embeddingDtype).toBe('f16');
    expect(s.embedding.values).toEqual(toF16(movieEmb));
    const decoded = servingMovieEmbeddings(s);
    for (let i = 0; i < movieEmb.length; i++) {
      expect(Math.abs(decoded[i] - movieEmb[i])).toBeLessThanOrEqual(Math.abs(movieEmb[i]) * 2 ** -11 + 2 ** -25);
    }
    expect(bytes16.length).toBeLessThan(bytes32.length);
  });

  test('a data set without links gives no links section', () => {
    const plain = readSnapshot(writeSnapshot({ ...built, build: { tool: 'test' } }));
    const s = readServingSnapshot(build('f32', plain));
    expect(s.movies.links).toBeNull();
    expect(s.sections.some((x) => x.name === 'movies.links')).toBe(false);
  });

  test('writing is deterministic', () => {
    expect(build('f32')).toEqual(bytes32);
    expect(build('f16')).toEqual(bytes16);
  });

  test('visitorCacheFromServing equals buildVisitorCache over the graph, array for array', () => {
    const fromServing = visitorCacheFromServing(readServingSnapshot(bytes32));
    expect(fromServing).toEqual(buildVisitorCache(g, p, movieEmb));
  });

  test("the file carries the model's visitor weights bit for bit, and the catalog + personal prefixes read alone", () => {
    const s = readServingSnapshot(bytes32);
    expect(s.params.layer1).toEqual(p.layer1);
    expect(s.params.layer2).toEqual(p.layer2);
    expect(s.params.calibration).toEqual(p.calibration);
    expect(s.params.config).toEqual(p.config);
    expect(s.idEmbedding).toEqual(p.movieIdEmbedding);
    const end = servingPersonalEnd(s.sections);
    expect(end).toBeGreaterThan(servingCatalogEnd(s.sections));
    // Only the prefix has arrived: the rest of the buffer is still zeros.
    const partial = new Uint8Array(bytes32.length);
    partial.set(bytes32.subarray(0, end));
    const personal = readServingPersonal(partial);
    expect(personal.params).toEqual(s.params);
    expect(personal.codes).toEqual(s.codes);
    expect(personal.raters).toBeNull(); // this model has no neighbourhood term
    // What guards the whole file is its hash (the rest of the buffer is zeros, values the reader accepts).
    expect(() => verifySnapshotHashSync(partial, 'serving.bin')).toThrow(ArtifactFormatError);
  });
});

describe('the first personal list before the whole file (rows by range, scores from the codes)', () => {
  const s = readServingSnapshot(bytes32);
  const personal = readServingPersonal(bytes32);
  const layout = servingRowLayout(personal.sections, {
    movieFeatureDim: p.movieFeatureDim,
    idEmbeddingDim: p.config.movieIdEmbeddingDim,
    neighbourWidth: neighbourWidth(p.config, p.userFeatureDim),
  });
  /** One movie's rows cut from the file's bytes at the layout's offsets, as the range requests do. */
  const rowOf = (movie: number): VisitorRow => {
    const cut = (part: { offset: number; rowBytes: number }) =>
      bytes32.slice(part.offset + movie * part.rowBytes, part.offset + (movie + 1) * part.rowBytes).buffer;
    return {
      movie,
      features: new Float32Array(cut(layout.features)),
      idEmbedding: new Float32Array(cut(layout.idEmbedding)),
      neighbourSums: new Float64Array(cut(layout.neighbourSums)),
      degree: new Int32Array(cut(layout.degree))[0],
    };
  };

  test("the visitor's embedding from range-fetched rows equals the exact cache's, bit for bit", () => {
    const exact = visitorCacheFromServing(s);
    const codes = decodeScalarCodes(personal.codes, g.numMovies);
    const early = emptyVisitorCache(personal.params, g.numMovies, codes);
    const row = userFeatureRow(s.featureSpec, null);
    const rated = [3, 17, 0, 29];
    const stars = [5, 1, 3.5, 4];
    setVisitorRows(early, rated.map(rowOf));
    expect([...early.hasRow].filter((x) => x === 1).length).toBe(rated.length);
    expect(visitorEmbedding(early, personal.params, row, rated, stars)).toEqual(
      visitorEmbedding(exact, s.params, row, rated, stars),
    );
    // Only the scores are approximate: the codes decode close to the embeddings.
    let err = 0;
    let norm = 0;
    for (let i = 0; i < codes.length; i++) {
      err += (codes[i] - exact.movieEmb[i]) ** 2;
      norm += exact.movieEmb[i] ** 2;
    }
    expect(err / norm).toBeLessThan(0.01);
    expect(() => setVisitorRows(early, [{ ...rowOf(1), features: new Float32Array(2) }])).toThrow(/wrong widths/);
  });
});

/** A copy of `bytes` with `edit` applied to the views of a freshly read copy (the reader skips the hash). */
function mutated(bytes: Uint8Array, edit: (s: ServingSnapshot) => void): Uint8Array {
  const copy = bytes.slice();
  edit(readServingSnapshot(copy));
  return copy;
}

describe('serving snapshot errors name the file and the problem', () => {
  test('versions: each reader points at the other', () => {
    expectFormatError(() => readSnapshot(bytes32, 'serving.bin'), /unsupported format version 5.*readServingSnapshot/);
    expectFormatError(() => readServingSnapshot(v1Bytes), /full graph snapshot \(read it with readSnapshot\)/);
    const v9 = bytes32.slice();
    new DataView(v9.buffer).setUint32(HEADER.version, 9, true);
    // Earlier layouts (3: no rater lists; 4: ids, title offsets and rater lists as 32-bit integers) are refused
    // with a way out, not read wrongly.
    for (const old of [3, 4]) {
      const bytes = bytes32.slice();
      new DataView(bytes.buffer).setUint32(HEADER.version, old, true);
      expectFormatError(
        () => readServingSnapshot(bytes),
        new RegExp(`unsupported format version ${old} .*version 5\\); rebuild it`),
      );
    }
    expectFormatError(() => readServingSnapshot(v9), /unsupported format version 9/);
    expectFormatError(() => verifySnapshotHashSync(v9, 'serving.bin'), /unsupported format version 9/);
  });

  test('container problems as in version 1', () => {
    expectFormatError(() => readServingSnapshot(bytes32.slice(0, bytes32.length - 16)), /truncated/);
    expectFormatError(() => readServingSnapshot(new TextEncoder().encode('<html>')), /HTML page/);
    const copy = bytes32.slice();
    new DataView(copy.buffer).setUint32(FIXED_HEADER_BYTES + 2 * SECTION_ENTRY_BYTES + 48, 0x7fffff00, true);
    expectFormatError(() => readServingSnapshot(copy), /out of bounds/);
  });

  test('a missing section, and a section of the wrong type', () => {
    const s = readServingSnapshot(bytes32);
    const keep = s.sections.filter((x) => x.name !== 'visitor.neighbourSums');
    const without = encodeContainer(
      SERVING_FORMAT_VERSION,
      keep.map((x) => ({ ...x, data: bytes32.subarray(x.offset, x.offset + x.byteLength) })),
      'test',
    );
    expectFormatError(() => readServingSnapshot(without), /section "visitor.neighbourSums" is missing/);
    const i = s.sections.findIndex((x) => x.name === 'movies.embedding');
    const retyped = bytes32.slice();
    new DataView(retyped.buffer).setUint32(FIXED_HEADER_BYTES + i * SECTION_ENTRY_BYTES + 36, 3, true);
    expectFormatError(
      () => readServingSnapshot(retyped),
      /"movies.embedding" is array\/i32, expected array\/f32 or f16/,
    );
  });

  test('version 1 files still reject the version-2 element types', () => {
    const i = v1.sections.findIndex((x) => x.name === 'movies.year');
    const copy = v1Bytes.slice();
    new DataView(copy.buffer).setUint32(FIXED_HEADER_BYTES + i * SECTION_ENTRY_BYTES + 36, 6, true);
    expectFormatError(() => readSnapshot(copy, 'snapshot.bin'), /unknown kind or element type/, 'snapshot.bin');
  });

  test('non-finite values where none are allowed', () => {
    const cases: [string, (s: ServingSnapshot) => void, RegExp][] = [
      ['features', (s) => ((s.movies.features as Float32Array)[4] = Number.NaN), /movies\.features\[4\] is NaN/],
      ['sums', (s) => ((s.visitor.neighbourSums as Float64Array)[1] = Infinity), /neighbourSums\[1\] is Infinity/],
      ['embedding', (s) => ((s.embedding.values as Float32Array)[2] = -Infinity), /movies\.embedding\[2\] is -Inf/],
    ];
    for (const [, edit, message] of cases)
      expectFormatError(() => readServingSnapshot(mutated(bytes32, edit)), message);
    const inf16 = mutated(bytes16, (s) => ((s.embedding.values as Uint16Array)[3] = 0x7c00));
    expectFormatError(() => readServingSnapshot(inf16), /movies\.embedding\[3\] is an infinite or NaN float16/);
    const nan16 = mutated(bytes16, (s) => ((s.embedding.values as Uint16Array)[0] = 0xfe01));
    expectFormatError(() => readServingSnapshot(nan16), /infinite or NaN float16/);
  });

  test('degrees, mean ratings and ids that cannot be', () => {
    const s0 = readServingSnapshot(bytes32);
    const rated = s0.visitor.degree.findIndex((d) => d > 0);
    const unrated = s0.visitor.degree.indexOf(0);
    const negative = mutated(bytes32, (s) => {
      s.visitor.degree[rated] = -1;
    });
    expectFormatError(() => readServingSnapshot(negative), new RegExp(`movies\\.popularity\\[${rated}\\] is negative`));
    const more = mutated(bytes32, (s) => {
      s.visitor.degree[rated] += 1;
    });
    expectFormatError(
      () => readServingSnapshot(more),
      /movies\.popularity sums to \d+ ratings, meta\.counts\.ratings says/,
    );
    const nanMean = mutated(bytes32, (s) => {
      s.movies.meanRating[rated] = Number.NaN;
    });
    expectFormatError(() => readServingSnapshot(nanMean), /NaN exactly when none/);
    const meanForNone = mutated(bytes32, (s) => {
      s.movies.meanRating[unrated] = 3;
    });
    expectFormatError(() => readServingSnapshot(meanForNone), /NaN exactly when none/);
    const outOfRange = mutated(bytes32, (s) => {
      s.movies.meanRating[rated] = 5.5;
    });
    expectFormatError(() => readServingSnapshot(outOfRange), /movies\.meanRating/);
    // Ids are varint gaps, increasing by construction; damaged gaps are refused, with where.
    const section = s0.sections.find((x) => x.name === 'movies.ids') as { offset: number; byteLength: number };
    const ids = bytes32.slice();
    ids[section.offset + section.byteLength - 1] |= 0x80;
    expectFormatError(() => readServingSnapshot(ids), /movies\.ids ends inside the list/);
    const offsets = s0.sections.find((x) => x.name === 'movies.titleOffsets') as typeof section;
    const longTitle = bytes32.slice();
    longTitle[offsets.offset + 1] = 0x7f; // the first title 127 bytes long: past the others, or the end
    expectFormatError(() => readServingSnapshot(longTitle), /movies\.titleOffsets/);
  });

  test('the writer refuses what the reader would reject', () => {
    const s = readServingSnapshot(bytes32);
    const input = {
      dataset: s.dataset,
      build: s.build,
      spec: s.featureSpec,
      counts: { users: s.counts.users, ratings: s.counts.ratings },
      globalMeanRating: s.globalMeanRating,
      movies: s.movies,
      visitor: {
        neighbourSums: s.visitor.neighbourSums,
        degree: s.visitor.degree,
        ratingMessages: s.model.ratingMessages,
      },
      embedding: { dim: 12, dtype: 'f16' as const, values: movieEmb.slice() },
      params: { ...s.params, movieIdEmbedding: s.idEmbedding },
      codes: s.codes,
      modelSha256: MODEL_SHA,
    };
    // What was read writes back to the same bytes.
    expect(writeServingSnapshot(input)).toEqual(bytes16);
    input.embedding.values[7] = 70_000;
    expect(() => writeServingSnapshot(input)).toThrow(/no float16/);
    expect(() => writeServingSnapshot({ ...input, embedding: { ...input.embedding, dim: 11 } })).toThrow(
      /embedding values/,
    );
    expect(() =>
      writeServingSnapshot({ ...input, embedding: { ...input.embedding, values: movieEmb }, modelSha256: 'x' }),
    ).toThrow(/^writeServingSnapshot: .*meta/);
    // The degrees are stored once, as the popularity: a writer given other degrees refuses.
    const degree = s.visitor.degree.slice();
    degree[0] += 1;
    expect(() =>
      writeServingSnapshot({
        ...input,
        embedding: { ...input.embedding, values: movieEmb },
        visitor: { ...input.visitor, degree },
      }),
    ).toThrow(/visitor\.degree differs from movies\.popularity/);
  });
});

describe('float16 conversion (src/core/model/float16.ts), as the serving snapshot stores embeddings', () => {
  const f32 = (x: number) => Math.fround(x);
  test('edge cases: zeros, subnormals, max half, overflow, infinities, NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff], // max half
      [65519, 0x7bff], // below the midpoint to 2^16: rounds down
      [65520, 0x7c00], // the midpoint: ties to even, which is infinity
      [1e6, 0x7c00],
      [-1e6, 0xfc00],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [2 ** -25, 0x0000], // half the smallest subnormal: a tie, to even (0)
      [f32(2 ** -25 * (1 + 2 ** -20)), 0x0001], // just above it
      [3 * 2 ** -25, 0x0002], // tie between 1 and 2 ulps: to even
      [5 * 2 ** -25, 0x0002], // tie between 2 and 3 ulps: to even
      [1023.5 * 2 ** -24, 0x0400], // tie between the largest subnormal and the smallest normal: to even
      [2 ** -26, 0x0000],
      [1 + 2 ** -11, 0x3c00], // tie: to even (down)
      [1 + 3 * 2 ** -11, 0x3c02], // tie: to even (up)
      [f32(1 + 2 ** -11 + 2 ** -20), 0x3c01], // just above a tie: up
      [1 + 2047 * 2 ** -11, 0x4000], // tie between the largest mantissa and 2: to even, into the next binade
      [f32(0.1), 0x2e66],
      [f32(-1 / 3), 0xb555],
    ];
    for (const [x, bits] of cases) expect(f32ToF16Bits(x), `${x}`).toBe(bits);
    expect(f32ToF16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(f32ToF16Bits(Number.NaN) & 0x3ff).not.toBe(0);
    expect(Object.is(f16BitsToF32(0x8000), -0)).toBe(true);
    expect(f16BitsToF32(0x7bff)).toBe(65504);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(f16BitsToF32(0x03ff)).toBe(1023 * 2 ** -24);
    expect(f16BitsToF32(0x7c00)).toBe(Infinity);
    expect(f16BitsToF32(0xfc00)).toBe(-Infinity);
    expect(f16BitsToF32(0x7e00)).toBeNaN();
    expect(f16BitsToF32(0x3555)).toBe(f32(0.333251953125));
  });

  test('every half survives f16 → f32 → f16, and halves are ordered like their values', () => {
    let previous = -1;
    for (let bits = 0; bits < 0x10000; bits++) {
      const exp = (bits >>> 10) & 0x1f;
      const v = f16BitsToF32(bits);
      if (exp === 0x1f && bits & 0x3ff) {
        expect(v).toBeNaN();
        continue;
      }
      expect(Math.fround(v)).toBe(v); // exactly representable in float32
      expect(f32ToF16Bits(v)).toBe(bits);
      if (bits <= 0x7c00) {
        expect(v).toBeGreaterThan(previous);
        previous = v;
      }
    }
  });

  test('random float32 values round to the nearest half, ties to even (against a brute-force search)', () => {
    const halves = Float64Array.from({ length: 0x7c01 }, (_, b) => f16BitsToF32(b)); // 0 … +inf, increasing
    const nearest = (x: number): number => {
      const a = Math.abs(x);
      if (a >= 65520) return 0x7c00;
      let lo = 0;
      let hi = 0x7bff;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (halves[mid] <= a) lo = mid;
        else hi = mid;
      }
      const dLo = a - halves[lo];
      const dHi = halves[hi] - a;
      return dLo < dHi ? lo : dHi < dLo ? hi : lo % 2 === 0 ? lo : hi;
    };
    const r = rng(42);
    const word = new Uint32Array(1);
    const asFloat = new Float32Array(word.buffer);
    for (let i = 0; i < 200_000; i++) {
      // Exponents concentrated around the half range (2^-27 … 2^17), any mantissa.
      const exp = 100 + Math.floor(r() * 45);
      word[0] = ((r() < 0.5 ? 1 : 0) << 31) | (exp << 23) | Math.floor(r() * 2 ** 23);
      const x = asFloat[0];
      const sign = x < 0 ? 0x8000 : 0;
      expect(f32ToF16Bits(x)).toBe(sign | nearest(x));
    }
    // Every exact midpoint between consecutive positive halves.
    for (let b = 0; b < 0x7bff; b++) {
      const mid = (halves[b] + halves[b + 1]) / 2;
      expect(f32ToF16Bits(mid)).toBe(b % 2 === 0 ? b : b + 1);
    }
  });
});
