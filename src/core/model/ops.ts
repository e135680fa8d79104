/**
 * The forward kernels of the GraphSAGE model on flat row-major arrays: CSR mean aggregation, the fused
 * SAGEConv dense step and row-wise L2 normalisation. The full forward, the exact visitor update and the
 * trainer all call these, so the same inputs give bit-identical outputs everywhere. Each output row is
 * accumulated in float64 and rounded once when stored. Pure: no DOM or Node imports.
 */
import { type Dense, edgeSign, type FloatArray, type ModelConfig } from './params.ts';

/** Norms below this are clamped (matches `z / max(‖z‖, 1e-12)`). */
export const NORM_EPS = 1e-12;

/**
 * Neighbour means over a CSR: for destination d, out[d] = mean over k in ptr[d]..ptr[d+1]-1 of
 * src[nbr[k]] (dim wide). With `sign` (one weight per k: the edge's centred stars), each output row is
 * 2·dim wide, [mean src[nbr[k]], mean sign[k]·src[nbr[k]]] (the signed channel of params.ts). A node with
 * no neighbours gets zeros. `sums`, when given, receives the un-divided float64 sums (same width as out).
 */
export function meanAggregate(
  ptr: Int32Array,
  nbr: Int32Array,
  src: ArrayLike<number>,
  dim: number,
  numDst: number,
  out: FloatArray,
  sums?: Float64Array,
  sign?: ArrayLike<number> | null,
): void {
  const w = sign ? 2 * dim : dim;
  const acc = new Float64Array(w);
  for (let d = 0; d < numDst; d++) {
    acc.fill(0);
    const start = ptr[d];
    const end = ptr[d + 1];
    for (let k = start; k < end; k++) {
      const s = nbr[k] * dim;
      for (let j = 0; j < dim; j++) acc[j] += src[s + j];
      if (sign) {
        const a = sign[k];
        for (let j = 0; j < dim; j++) acc[dim + j] += a * src[s + j];
      }
    }
    const o = d * w;
    if (sums) for (let j = 0; j < w; j++) sums[o + j] = acc[j];
    const deg = end - start;
    if (deg === 0) for (let j = 0; j < w; j++) out[o + j] = 0;
    else for (let j = 0; j < w; j++) out[o + j] = acc[j] / deg;
  }
}

/**
 * Per-adjacency-entry signed weights of a message graph for `meanAggregate` (null without rating-aware
 * messages): `user[k]` for the user-major entries (edge k), `movie[k]` for the movie-side entries.
 */
export function edgeSigns(
  c: ModelConfig,
  g: { edgeRating: ArrayLike<number>; movieAdjEdge: ArrayLike<number> },
): { user: Float32Array; movie: Float32Array } | null {
  if (!c.ratingMessages) return null;
  const n = g.edgeRating.length;
  const user = new Float32Array(n);
  for (let k = 0; k < n; k++) user[k] = edgeSign(c, g.edgeRating[k]);
  const movie = new Float32Array(n);
  for (let k = 0; k < n; k++) movie[k] = user[g.movieAdjEdge[k]];
  return { user, movie };
}

/**
 * One SAGEConv dense step over `rows` rows: out[r] = act(x[r]·self + agg[r]·neigh + bias), act = ReLU
 * when `relu`. x is rows × self.inDim, agg is rows × neigh.inDim, out is rows × outDim (pass subarrays
 * to run a few rows of a larger matrix).
 */
export function sageDense<A extends FloatArray>(
  rows: number,
  x: ArrayLike<number>,
  agg: ArrayLike<number>,
  self: Dense<A>,
  neigh: Dense<A>,
  bias: A,
  relu: boolean,
  out: FloatArray,
): void {
  const outDim = bias.length;
  const inX = self.inDim;
  const inA = neigh.inDim;
  const ws = self.weight;
  const wn = neigh.weight;
  const acc = new Float64Array(outDim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outDim; j++) acc[j] = bias[j];
    const xo = r * inX;
    for (let k = 0; k < inX; k++) {
      const v = x[xo + k];
      if (v === 0) continue;
      const wo = k * outDim;
      for (let j = 0; j < outDim; j++) acc[j] += v * ws[wo + j];
    }
    const ao = r * inA;
    for (let k = 0; k < inA; k++) {
      const v = agg[ao + k];
      if (v === 0) continue;
      const wo = k * outDim;
      for (let j = 0; j < outDim; j++) acc[j] += v * wn[wo + j];
    }
    const o = r * outDim;
    if (relu) for (let j = 0; j < outDim; j++) out[o + j] = Math.max(acc[j], 0);
    else for (let j = 0; j < outDim; j++) out[o + j] = acc[j];
  }
}

/**
 * Builds z row by row from h1 and h2 (skip 'none' | 'sum' | 'concat'), optionally L2-normalised;
 * `norms` receives each row's pre-normalisation norm (used by the backward pass). With `extra`, each
 * output row gets one more column holding extra[r] (the movie score bias, or 1 for users), after the
 * normalisation.
 */
export function combineEmbedding(
  rows: number,
  h1: ArrayLike<number>,
  h1Dim: number,
  h2: ArrayLike<number>,
  h2Dim: number,
  skip: 'none' | 'sum' | 'concat',
  normalize: boolean,
  out: FloatArray,
  norms: FloatArray | null,
  extra: ArrayLike<number> | null = null,
): void {
  const d = skip === 'concat' ? h1Dim + h2Dim : h2Dim;
  const w = extra ? d + 1 : d;
  const acc = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const a = r * h1Dim;
    const b = r * h2Dim;
    if (skip === 'concat') {
      for (let j = 0; j < h1Dim; j++) acc[j] = h1[a + j];
      for (let j = 0; j < h2Dim; j++) acc[h1Dim + j] = h2[b + j];
    } else if (skip === 'sum') {
      for (let j = 0; j < d; j++) acc[j] = h1[a + j] + h2[b + j];
    } else {
      for (let j = 0; j < d; j++) acc[j] = h2[b + j];
    }
    let scale = 1;
    if (normalize) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += acc[j] * acc[j];
      const norm = Math.sqrt(ss);
      if (norms) norms[r] = norm;
      scale = 1 / Math.max(norm, NORM_EPS);
    }
    const o = r * w;
    for (let j = 0; j < d; j++) out[o + j] = acc[j] * scale;
    if (extra) out[o + d] = extra[r];
  }
}
