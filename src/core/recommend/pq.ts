/**
 * Product quantisation of the movie embeddings, so a first personal list can be scored before the exact
 * embeddings arrive: the D columns are split into contiguous subspaces (widths differing by at most one),
 * each with a codebook of 256 centroids (seeded k-means++ and Lloyd iterations, squared Euclidean distance,
 * trained on a sample of rows), and each movie is stored as one byte per subspace, the index of its
 * nearest centroid there. Decoding concatenates the centroids back into an approximate float32 matrix.
 * A subspace with at most 256 distinct sub-vectors in the training rows keeps them as its centroids, so
 * small catalogs round-trip exactly. Pure: no DOM or Node imports.
 */

import { mulberry32 } from '../random.ts';

/** Centroids per subspace: one byte per code. */
export const PQ_CENTROIDS = 256;

export interface ProductQuantizer {
  /** Width D of the vectors. */
  dim: number;
  /** Number of subspaces (bytes per encoded vector). */
  subspaces: number;
  /** Column boundaries, subspaces + 1: subspace s is columns offsets[s] .. offsets[s+1]-1. */
  offsets: Int32Array;
  /**
   * For each subspace s in order, 256 centroids × its width, row-major (256 · D floats in all); subspace
   * s starts at 256 · offsets[s].
   */
  codebook: Float32Array;
}

export interface ProductQuantizerOptions {
  /** Number of subspaces, 1..dim. */
  subspaces: number;
  /** Lloyd iterations per subspace after the k-means++ start. Default 8. */
  iterations?: number;
  /** Rows the codebooks are trained on (a seeded sample when there are more). Default 20,000. */
  sample?: number;
  /** Seed of the sample and the initialisation. Default 1. */
  seed?: number;
}

/** Column boundaries of `subspaces` contiguous groups over `dim` columns; the first dim mod subspaces are one wider. */
export function pqOffsets(dim: number, subspaces: number): Int32Array {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`product quantiser: dim ${dim} is not a positive integer`);
  if (!Number.isInteger(subspaces) || subspaces < 1 || subspaces > dim) {
    throw new RangeError(`product quantiser: ${subspaces} subspaces for ${dim} columns (need 1..${dim})`);
  }
  const base = Math.floor(dim / subspaces);
  const wider = dim % subspaces;
  const offsets = new Int32Array(subspaces + 1);
  for (let s = 0; s < subspaces; s++) offsets[s + 1] = offsets[s] + base + (s < wider ? 1 : 0);
  return offsets;
}

/** Trains the codebooks on (a sample of) the `count` rows of `vectors` (row-major, `dim` wide). Deterministic for a seed. */
export function trainProductQuantizer(
  vectors: Float32Array,
  count: number,
  dim: number,
  options: ProductQuantizerOptions,
): ProductQuantizer {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`product quantiser: count ${count} is not valid`);
  const offsets = pqOffsets(dim, options.subspaces);
  if (vectors.length < count * dim) {
    throw new RangeError(`product quantiser: ${vectors.length} values hold fewer than ${count} rows × ${dim}`);
  }
  const iterations = options.iterations ?? 8;
  const rand = mulberry32(options.seed ?? 1);

  // Seeded sample of rows (partial Fisher–Yates), kept in row order.
  const sampleSize = Math.min(count, Math.max(1, Math.floor(options.sample ?? 20_000)));
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + Math.floor(rand() * (count - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const rows = order.subarray(0, sampleSize).sort();

  const codebook = new Float32Array(PQ_CENTROIDS * dim);
  for (let s = 0; s < options.subspaces; s++) {
    const from = offsets[s];
    const width = offsets[s + 1] - from;
    // The sample's columns of this subspace, packed.
    const x = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++)
      x.set(vectors.subarray(rows[i] * dim + from, rows[i] * dim + from + width), i * width);
    const c = codebook.subarray(PQ_CENTROIDS * from, PQ_CENTROIDS * (from + width));
    if (!distinctCentroids(x, rows.length, width, c)) kMeans(x, rows.length, width, iterations, rand, c);
  }
  return { dim, subspaces: options.subspaces, offsets, codebook };
}

/**
 * When the n rows of x (width w) have at most 256 distinct values, writes them (first-seen order, padded
 * with repeats of the first, zeros when n = 0) to c and returns true.
 */
function distinctCentroids(x: Float32Array, n: number, w: number, c: Float32Array): boolean {
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const seen = new Set<string>();
  let k = 0;
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let j = 0; j < w; j++) key += `${bits[i * w + j]},`;
    if (seen.has(key)) continue;
    if (k === PQ_CENTROIDS) return false;
    seen.add(key);
    c.set(x.subarray(i * w, (i + 1) * w), k * w);
    k++;
  }
  for (let i = k; i < PQ_CENTROIDS && k > 0; i++) c.copyWithin(i * w, 0, w);
  return true;
}

/** Squared distance from row r of x to centroid a of c (both width w). */
function dist2(x: Float32Array, r: number, c: Float32Array, a: number, w: number): number {
  let d = 0;
  for (let j = 0; j < w; j++) {
    const t = x[r * w + j] - c[a * w + j];
    d += t * t;
  }
  return d;
}

/**
 * For rows from..to-1 of x (width w): the index of the nearest of the 256 centroids in c (lowest index on
 * ties) to `assign` and its squared distance to `dist`, both indexed by row. Unrolled for widths 1–4 (the
 * usual subspace widths), where the loop overhead would otherwise dominate.
 */
function assignRows(
  x: Float32Array,
  from: number,
  to: number,
  w: number,
  c: Float32Array,
  assign: Uint8Array | Int32Array,
  dist: Float64Array | null,
): void {
  const k = PQ_CENTROIDS;
  for (let i = from; i < to; i++) {
    const o = i * w;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    if (w === 1) {
      const x0 = x[o];
      for (let a = 0; a < k; a++) {
        const t0 = x0 - c[a];
        const d = t0 * t0;
        if (d < bestD) {
          bestD = d;
          best = a;
        }
      }
    } else if (w === 2) {
      const x0 = x[o];
      const x1 = x[o + 1];
      for (let a = 0, p = 0; a < k; a++, p += 2) {
        const t0 = x0 - c[p];
        const t1 = x1 - c[p + 1];
        const d = t0 * t0 + t1 * t1;
        if (d < bestD) {
          bestD = d;
          best = a;
        }
      }
    } else if (w === 3) {
      const x0 = x[o];
      const x1 = x[o + 1];
      const x2 = x[o + 2];
      for (let a = 0, p = 0; a < k; a++, p += 3) {
        const t0 = x0 - c[p];
        const t1 = x1 - c[p + 1];
        const t2 = x2 - c[p + 2];
        const d = t0 * t0 + t1 * t1 + t2 * t2;
        if (d < bestD) {
          bestD = d;
          best = a;
        }
      }
    } else if (w === 4) {
      const x0 = x[o];
      const x1 = x[o + 1];
      const x2 = x[o + 2];
      const x3 = x[o + 3];
      for (let a = 0, p = 0; a < k; a++, p += 4) {
        const t0 = x0 - c[p];
        const t1 = x1 - c[p + 1];
        const t2 = x2 - c[p + 2];
        const t3 = x3 - c[p + 3];
        const d = t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
        if (d < bestD) {
          bestD = d;
          best = a;
        }
      }
    } else {
      for (let a = 0; a < k; a++) {
        const d = dist2(x, i, c, a, w);
        if (d < bestD) {
          bestD = d;
          best = a;
        }
      }
    }
    assign[i] = best;
    if (dist) dist[i] = bestD;
  }
}

/**
 * k-means (k = 256) over the n > 256 rows of x: a k-means++ start over all n rows (it seeds the outlying
 * rows, which a strided subset misses, and the top of a ranking is made of outliers), then Lloyd
 * iterations; centroids to c.
 */
function kMeans(x: Float32Array, n: number, w: number, iterations: number, rand: () => number, c: Float32Array): void {
  const k = PQ_CENTROIDS;
  // k-means++: each next centroid is a row drawn with probability ∝ its squared distance to the nearest so far.
  const d = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(rand() * n);
  for (let a = 0; a < k; a++) {
    c.set(x.subarray(pick * w, (pick + 1) * w), a * w);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const di = dist2(x, i, c, a, w);
      if (di < d[i]) d[i] = di;
      total += d[i];
    }
    let u = rand() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= d[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
    if (total === 0) pick = Math.floor(rand() * n);
  }

  const assign = new Int32Array(n);
  const sums = new Float64Array(k * w);
  const counts = new Int32Array(k);
  for (let it = 0; it < iterations; it++) {
    assignRows(x, 0, n, w, c, assign, d);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const a = assign[i];
      counts[a]++;
      for (let j = 0; j < w; j++) sums[a * w + j] += x[i * w + j];
    }
    for (let a = 0; a < k; a++) {
      if (counts[a] > 0) {
        for (let j = 0; j < w; j++) c[a * w + j] = sums[a * w + j] / counts[a];
        continue;
      }
      // An empty cluster restarts at the row farthest from its centroid (which then counts as served).
      let far = 0;
      for (let i = 1; i < n; i++) if (d[i] > d[far]) far = i;
      c.set(x.subarray(far * w, (far + 1) * w), a * w);
      d[far] = 0;
    }
  }
}

/** The codes of `count` rows of `vectors`: count × subspaces bytes, row-major (nearest centroid per subspace). */
export function encodePQ(pq: ProductQuantizer, vectors: Float32Array, count: number): Uint8Array {
  const { dim, subspaces, offsets, codebook } = pq;
  if (vectors.length < count * dim) {
    throw new RangeError(`encodePQ: ${vectors.length} values hold fewer than ${count} rows × ${dim}`);
  }
  const codes = new Uint8Array(count * subspaces);
  // Blocks of rows, one subspace at a time: the block's columns are packed, assigned, then scattered.
  const block = 4096;
  const x = new Float32Array(block * dim);
  const assign = new Uint8Array(block);
  for (let s = 0; s < subspaces; s++) {
    const from = offsets[s];
    const width = offsets[s + 1] - from;
    const c = codebook.subarray(PQ_CENTROIDS * from, PQ_CENTROIDS * (from + width));
    for (let r0 = 0; r0 < count; r0 += block) {
      const rows = Math.min(block, count - r0);
      for (let i = 0; i < rows; i++) {
        const o = (r0 + i) * dim + from;
        for (let j = 0; j < width; j++) x[i * width + j] = vectors[o + j];
      }
      assignRows(x, 0, rows, width, c, assign, null);
      for (let i = 0; i < rows; i++) codes[(r0 + i) * subspaces + s] = assign[i];
    }
  }
  return codes;
}

/** The approximate vectors of `count` codes: count × dim floats, written to `out` when given. */
export function decodePQ(
  pq: ProductQuantizer,
  codes: Uint8Array,
  count: number,
  out: Float32Array = new Float32Array(count * pq.dim),
): Float32Array {
  const { dim, subspaces, offsets, codebook } = pq;
  if (codes.length < count * subspaces) {
    throw new RangeError(`decodePQ: ${codes.length} codes hold fewer than ${count} rows × ${subspaces} subspaces`);
  }
  if (out.length < count * dim) throw new RangeError(`decodePQ: out holds fewer than ${count} rows × ${dim}`);
  for (let s = 0; s < subspaces; s++) {
    const from = offsets[s];
    const width = offsets[s + 1] - from;
    const base = PQ_CENTROIDS * from;
    for (let r = 0; r < count; r++) {
      const src = base + codes[r * subspaces + s] * width;
      const dst = r * dim + from;
      for (let j = 0; j < width; j++) out[dst + j] = codebook[src + j];
    }
  }
  return out;
}

/**
 * Checks a codebook, its column boundaries and `count` rows of codes read from a file against each other
 * and `dim`, and returns the quantiser they make. RangeError naming the first mismatch: offsets not
 * 0 < … < dim strictly increasing, a codebook that is not 256 · dim finite floats, or codes that are not
 * count × subspaces bytes.
 */
export function validatePQ(
  dim: number,
  offsets: Int32Array,
  codebook: Float32Array,
  codes: Uint8Array,
  count: number,
): ProductQuantizer {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`product quantiser: dim ${dim} is not a positive integer`);
  const subspaces = offsets.length - 1;
  if (subspaces < 1) throw new RangeError(`product quantiser: ${offsets.length} column offsets (need at least 2)`);
  if (offsets[0] !== 0 || offsets[subspaces] !== dim) {
    throw new RangeError(
      `product quantiser: column offsets run ${offsets[0]}..${offsets[subspaces]}, the embeddings have columns 0..${dim}`,
    );
  }
  for (let s = 0; s < subspaces; s++) {
    if (offsets[s + 1] <= offsets[s]) {
      throw new RangeError(
        `product quantiser: column offsets not increasing at subspace ${s} (${offsets[s]}, ${offsets[s + 1]})`,
      );
    }
  }
  if (codebook.length !== PQ_CENTROIDS * dim) {
    throw new RangeError(
      `product quantiser: codebook has ${codebook.length} floats, expected ${PQ_CENTROIDS * dim} (${PQ_CENTROIDS} centroids × ${dim} columns)`,
    );
  }
  for (let i = 0; i < codebook.length; i++) {
    if (!Number.isFinite(codebook[i])) throw new RangeError(`product quantiser: codebook[${i}] is ${codebook[i]}`);
  }
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`product quantiser: count ${count} is not valid`);
  if (codes.length !== count * subspaces) {
    throw new RangeError(
      `product quantiser: ${codes.length} code bytes, expected ${count * subspaces} (${count} rows × ${subspaces} subspaces)`,
    );
  }
  return { dim, subspaces, offsets, codebook };
}
