/**
 * Approximate top-K over movie embeddings for large catalogs: the worker uses it from `ANN_MIN_ITEMS`
 * (100k) movies up (src/core/recommend/recommend.ts; bench/RESULTS.md §3 has the measurements).
 *
 * An inverted-file index (IVF). Its coarse quantiser is a two-level spherical k-means tree with b × b leaf
 * lists, so assigning N items costs N·2b dot products instead of N·b². Each item's vector is stored in list
 * order as int8 codes with one scale per item, which is a quarter of the bytes a float32 scan streams.
 * A query scores the b² leaf centroids and scans the `nprobe` best lists, skipping excluded items. It
 * probes further lists while fewer than k items qualify. It keeps the `rerank` best approximate scores
 * and re-ranks them exactly against the float32 embeddings. The k best exact scores are returned in the
 * same order and rounding as `scoreCandidates`. With nprobe = all lists and rerank ≥ N, the result equals
 * exact scoring. Pure: no DOM or Node imports.
 */

import { mulberry32 } from '../random.ts';
import { hasBit, topN } from './rank.ts';

export interface TopK {
  /** Item indices, best first. */
  index: Int32Array;
  /** Their exact scores (scale · z·e), float32. */
  score: Float32Array;
}

/** What top-N scoring needs from an approximate index over one embedding matrix. */
export interface MovieIndex {
  /** Items indexed (rows of `embeddings`). */
  readonly size: number;
  readonly dim: number;
  /** The float32 matrix the index was built over (and re-ranks against). */
  readonly embeddings: Float32Array;
  /** The k best non-excluded items for query z; `scanned` counts the approximate dot products taken. */
  query(z: ArrayLike<number>, k: number, exclude?: Uint8Array, scale?: number): TopK & { scanned: number };
}

export interface IvfOptions {
  /** Branching factor b of the k-means tree (b² lists). Default round(n^¼), at least 2. */
  branching?: number;
  /** Lists scanned per query. Default max(8, ⌈lists / 8⌉): recall@20 ≈ 0.95 on clustered data. */
  nprobe?: number;
  /** Approximate candidates re-ranked exactly. Default max(10·k, 200). */
  rerank?: number;
  /** Seed of the training sample and the k-means initialisation. */
  seed?: number;
  /** Lloyd iterations per k-means. Default 8. */
  iterations?: number;
  /** Items used to train the centroids. Default min(n, max(64·lists, 20,000)). */
  trainSample?: number;
}

const random = mulberry32;

function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += a[ao + j] * b[bo + j];
  return s;
}

/** Index of the centroid (rows from..from+count-1 of `c`) with the highest dot product with row `r` of `x`. */
function nearest(x: Float32Array, r: number, c: Float32Array, from: number, count: number, dim: number): number {
  let best = from;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = from; i < from + count; i++) {
    const s = dot(x, r * dim, c, i * dim, dim);
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}

/**
 * Spherical k-means over the rows `rows` of `x`: k unit-length centroids (argmax dot product assignment),
 * written to `out` at row offset `at`. With fewer rows than k, the extra centroids repeat the first.
 */
function sphericalKMeans(
  x: Float32Array,
  rows: Int32Array,
  dim: number,
  k: number,
  iterations: number,
  rand: () => number,
  out: Float32Array,
  at: number,
): void {
  const n = rows.length;
  const c = out.subarray(at * dim, (at + k) * dim);
  if (n === 0) return;
  // Initialise with k distinct sampled rows (partial Fisher–Yates over a copy).
  const pick = rows.slice();
  for (let i = 0; i < Math.min(k, n); i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = pick[i];
    pick[i] = pick[j];
    pick[j] = t;
  }
  for (let i = 0; i < k; i++) c.set(x.subarray(pick[i % n] * dim, (pick[i % n] + 1) * dim), i * dim);
  normaliseRows(c, k, dim);
  if (n <= k) return;
  const assign = new Int32Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) assign[i] = nearest(x, rows[i], c, 0, k, dim);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const a = assign[i];
      counts[a]++;
      const o = rows[i] * dim;
      for (let j = 0; j < dim; j++) sums[a * dim + j] += x[o + j];
    }
    for (let a = 0; a < k; a++) {
      if (counts[a] === 0) {
        // An empty cluster restarts at a random row.
        const r = rows[Math.floor(rand() * n)];
        c.set(x.subarray(r * dim, (r + 1) * dim), a * dim);
      } else for (let j = 0; j < dim; j++) c[a * dim + j] = sums[a * dim + j];
    }
    normaliseRows(c, k, dim);
  }
}

function normaliseRows(c: Float32Array, rows: number, dim: number): void {
  for (let i = 0; i < rows; i++) {
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += c[i * dim + j] * c[i * dim + j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < dim; j++) c[i * dim + j] *= inv;
  }
}

/** An IVF index over `n` rows of `embeddings` (row-major, `dim` wide). */
export class IvfIndex implements MovieIndex {
  readonly size: number;
  readonly dim: number;
  readonly embeddings: Float32Array;
  /** Number of lists (b²). */
  readonly lists: number;
  nprobe: number;
  rerank: number | null;
  /** Leaf centroids, lists × dim, unit length. */
  private readonly centroids: Float32Array;
  /** Offsets of each list into the list-ordered arrays (lists + 1). */
  private readonly listPtr: Int32Array;
  /** Item index at each list-ordered position. */
  private readonly listItem: Int32Array;
  /** int8 codes in list order (n × dim) and each position's scale: e ≈ scale · code. */
  private readonly codes: Int8Array;
  private readonly codeScale: Float32Array;

  constructor(embeddings: Float32Array, n: number, dim: number, opts: IvfOptions = {}) {
    if (embeddings.length < n * dim) throw new RangeError('IvfIndex: embeddings hold fewer than n rows');
    if (n < 1) throw new RangeError('IvfIndex: nothing to index');
    this.size = n;
    this.dim = dim;
    this.embeddings = embeddings;
    const b = Math.max(2, opts.branching ?? Math.round(n ** 0.25));
    this.lists = b * b;
    this.nprobe = opts.nprobe ?? Math.max(8, Math.ceil(this.lists / 8));
    this.rerank = opts.rerank ?? null;
    const rand = random(opts.seed ?? 1);
    const iterations = opts.iterations ?? 8;

    // Train the tree on a seeded sample: b top centroids, then b children within each top cluster.
    const sampleSize = Math.min(n, opts.trainSample ?? Math.max(64 * this.lists, 20_000));
    const sample = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(rand() * (n - i));
      const t = sample[i];
      sample[i] = sample[j];
      sample[j] = t;
    }
    const trainRows = sample.subarray(0, sampleSize);
    const top = new Float32Array(b * dim);
    sphericalKMeans(embeddings, trainRows, dim, b, iterations, rand, top, 0);
    const topOf = Int32Array.from(trainRows, (r) => nearest(embeddings, r, top, 0, b, dim));
    this.centroids = new Float32Array(this.lists * dim);
    for (let t = 0; t < b; t++) {
      const members = trainRows.filter((_, i) => topOf[i] === t);
      sphericalKMeans(embeddings, members, dim, b, iterations, rand, this.centroids, t * b);
    }

    // Assign every item down the tree, then lay the lists out contiguously (counting sort).
    const leaf = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const t = nearest(embeddings, r, top, 0, b, dim);
      leaf[r] = nearest(embeddings, r, this.centroids, t * b, b, dim);
    }
    this.listPtr = new Int32Array(this.lists + 1);
    for (let r = 0; r < n; r++) this.listPtr[leaf[r] + 1]++;
    for (let l = 0; l < this.lists; l++) this.listPtr[l + 1] += this.listPtr[l];
    const fill = this.listPtr.slice(0, this.lists);
    this.listItem = new Int32Array(n);
    this.codes = new Int8Array(n * dim);
    this.codeScale = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const p = fill[leaf[r]]++;
      this.listItem[p] = r;
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(embeddings[r * dim + j]));
      const scale = max > 0 ? max / 127 : 1;
      this.codeScale[p] = scale;
      for (let j = 0; j < dim; j++) this.codes[p * dim + j] = Math.round(embeddings[r * dim + j] / scale);
    }
  }

  /** Bytes the index adds on top of the embeddings. */
  get bytes(): number {
    return (
      this.codes.byteLength +
      this.codeScale.byteLength +
      this.listItem.byteLength +
      this.listPtr.byteLength +
      this.centroids.byteLength
    );
  }

  query(z: ArrayLike<number>, k: number, exclude?: Uint8Array, scale = 1): TopK & { scanned: number } {
    const dim = this.dim;
    if (z.length < dim) throw new RangeError('IvfIndex.query: z is narrower than the index');
    // Lists in order of their centroid's score.
    const centroidScore = new Float32Array(this.lists);
    for (let l = 0; l < this.lists; l++) centroidScore[l] = dot(z, 0, this.centroids, l * dim, dim);
    const order = topN(centroidScore, this.lists);

    // Approximate scores of the qualifying items of the nprobe best lists (more while fewer than k qualify).
    let capacity = 0;
    for (let i = 0; i < Math.min(this.nprobe, this.lists); i++) {
      const l = order[i];
      capacity += this.listPtr[l + 1] - this.listPtr[l];
    }
    let candPos = new Int32Array(Math.max(capacity, k));
    let candScore = new Float32Array(candPos.length);
    let count = 0;
    let scanned = 0;
    for (let i = 0; i < this.lists && (i < this.nprobe || count < k); i++) {
      const l = order[i];
      const end = this.listPtr[l + 1];
      if (count + (end - this.listPtr[l]) > candPos.length) {
        const grownPos = new Int32Array(2 * (count + end - this.listPtr[l]));
        grownPos.set(candPos.subarray(0, count));
        const grownScore = new Float32Array(grownPos.length);
        grownScore.set(candScore.subarray(0, count));
        candPos = grownPos;
        candScore = grownScore;
      }
      for (let p = this.listPtr[l]; p < end; p++) {
        if (exclude && hasBit(exclude, this.listItem[p])) continue;
        candPos[count] = p;
        candScore[count] = this.codeScale[p] * dot(z, 0, this.codes, p * dim, dim);
        count++;
      }
      scanned += end - this.listPtr[l];
    }

    // Exact re-rank of the best approximate candidates.
    const rerank = Math.min(count, this.rerank ?? Math.max(10 * k, 200));
    const best = topN(candScore.subarray(0, count), rerank);
    const items = Int32Array.from(best, (c) => this.listItem[candPos[c]]);
    const exact = Float32Array.from(items, (m) => dot(z, 0, this.embeddings, m * dim, dim) * scale);
    const pick = Int32Array.from({ length: items.length }, (_, i) => i).sort(
      (a, b) => exact[b] - exact[a] || items[a] - items[b],
    );
    const top = pick.subarray(0, Math.min(k, pick.length));
    return {
      index: Int32Array.from(top, (i) => items[i]),
      score: Float32Array.from(top, (i) => exact[i]),
      scanned,
    };
  }
}

/** Share of `exact`'s items that `approx` also returned (recall@k of one query). */
export function recallAt(exact: Int32Array, approx: Int32Array): number {
  if (exact.length === 0) return 1;
  const found = new Set(approx);
  let hits = 0;
  for (const m of exact) if (found.has(m)) hits++;
  return hits / exact.length;
}
