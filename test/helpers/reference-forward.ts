/**
 * Test helper: a float64 reference of the full GraphSAGE forward, written straight from the equations in
 * src/core/model/params.ts (mean over neighbours, then the linear map), to check the ONNX export against.
 * Deliberately naive and independent of the exporter's and the trainer's code.
 */
import type { RatingGraph } from '../../src/core/graph.ts';
import {
  edgeSign,
  embeddingDim,
  type ModelParams,
  movieInputDim,
  type SageConvParams,
} from '../../src/core/model/params.ts';

type Rows = Float64Array[];

function rows(flat: ArrayLike<number>, n: number, width: number): Rows {
  const out: Rows = [];
  for (let i = 0; i < n; i++) out.push(Float64Array.from({ length: width }, (_, j) => flat[i * width + j]));
  return out;
}

/** A neighbour list: source rows with the signed weight of each edge (params.ts `edgeSign`). */
type Adjacency = { src: number; sign: number }[];

/** mean of the neighbours' rows, then (with rating-aware messages) the mean of sign·row beside it. */
function mean(src: Rows, neighbours: Adjacency, width: number, signed: boolean): Float64Array {
  const acc = new Float64Array(signed ? 2 * width : width);
  for (const { src: s, sign } of neighbours) {
    for (let j = 0; j < width; j++) acc[j] += src[s][j];
    if (signed) for (let j = 0; j < width; j++) acc[width + j] += sign * src[s][j];
  }
  if (neighbours.length > 0) for (let j = 0; j < acc.length; j++) acc[j] /= neighbours.length;
  return acc;
}

function conv(p: SageConvParams, dst: Rows, src: Rows, adj: Adjacency[], relu: boolean, signed: boolean): Rows {
  const inSelf = p.self.inDim;
  const inNeigh = p.neigh.inDim;
  const out = p.self.outDim;
  return dst.map((x, v) => {
    const agg = mean(src, adj[v], signed ? inNeigh / 2 : inNeigh, signed);
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = p.bias[o];
      for (let i = 0; i < inSelf; i++) s += x[i] * p.self.weight[i * out + o];
      for (let i = 0; i < inNeigh; i++) s += agg[i] * p.neigh.weight[i * out + o];
      y[o] = relu ? Math.max(0, s) : s;
    }
    return y;
  });
}

/** Full forward in float64; returns z for every user and movie, row-major. */
export function referenceForward(g: RatingGraph, p: ModelParams): { user: Float64Array; movie: Float64Array } {
  const c = p.config;
  const xu = rows(g.userFeatures, g.numUsers, p.userFeatureDim);
  const dm = movieInputDim(p);
  const xm: Rows = [];
  for (let m = 0; m < g.numMovies; m++) {
    const r = new Float64Array(dm);
    for (let j = 0; j < p.movieFeatureDim; j++) r[j] = g.movieFeatures[m * p.movieFeatureDim + j];
    for (let j = 0; j < c.movieIdEmbeddingDim; j++) {
      r[p.movieFeatureDim + j] = p.movieIdEmbedding[m * c.movieIdEmbeddingDim + j];
    }
    xm.push(r);
  }
  const signed = c.ratingMessages !== undefined;
  const userAdj: Adjacency[] = [];
  for (let u = 0; u < g.numUsers; u++) {
    const adj: Adjacency = [];
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      adj.push({ src: g.edgeMovie[e], sign: edgeSign(c, g.edgeRating[e]) });
    }
    userAdj.push(adj);
  }
  const movieAdj: Adjacency[] = [];
  for (let m = 0; m < g.numMovies; m++) {
    const adj: Adjacency = [];
    for (let k = g.moviePtr[m]; k < g.moviePtr[m + 1]; k++) {
      adj.push({ src: g.movieAdjUser[k], sign: edgeSign(c, g.edgeRating[g.movieAdjEdge[k]]) });
    }
    movieAdj.push(adj);
  }

  const h1u = conv(p.layer1.user, xu, xm, userAdj, true, signed);
  const h1m = conv(p.layer1.movie, xm, xu, movieAdj, true, signed);
  const h2u = conv(p.layer2.user, h1u, h1m, userAdj, false, signed);
  const h2m = conv(p.layer2.movie, h1m, h1u, movieAdj, false, signed);

  const d = embeddingDim(c);
  const finish = (h1: Rows, h2: Rows, extra: (v: number) => number): Float64Array => {
    const out = new Float64Array(h1.length * d);
    h1.forEach((a, v) => {
      const b = h2[v];
      const z = c.skip === 'none' ? b : c.skip === 'sum' ? a.map((x, j) => x + b[j]) : Float64Array.from([...a, ...b]);
      let norm = 1;
      if (c.normalize) norm = Math.max(Math.hypot(...z), 1e-12);
      for (let j = 0; j < z.length; j++) out[v * d + j] = z[j] / norm;
      if (c.movieScoreBias) out[v * d + d - 1] = extra(v);
    });
    return out;
  };
  // Score-bias column (config.movieScoreBias): 1 for users, c_m for movies.
  return { user: finish(h1u, h2u, () => 1), movie: finish(h1m, h2m, (m) => p.movieScoreBias[m]) };
}

/** Largest |a[i] - b[i]|; throws on a length mismatch. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}
