/**
 * Hand-written backward pass of the full-graph forward (src/core/model/forward.ts): given dLoss/dz for
 * every user and movie, accumulates dLoss/dθ into a gradient with the same layout as the parameters.
 * Op by op: L2 normalisation, skip split, dense layers, ReLU, CSR mean aggregation (its backward is the
 * transposed aggregation, scattering dAgg[d]/deg(d) to each neighbour) and the id-embedding gather.
 */
import { allocLike, type ForwardResult, type MessageGraph } from '../../src/core/model/forward.ts';
import { NORM_EPS } from '../../src/core/model/ops.ts';
import type { Dense, FloatArray, ModelParams } from '../../src/core/model/params.ts';

/**
 * The adjoint of `meanAggregate`: dSrc[nbr[k]] += dAgg[d] / deg(d) for every k of d, plus
 * sign[k]·dAgg'[d] / deg(d) from the signed half dAgg' of each 2·dim-wide row when `sign` is given.
 */
export function meanAggregateBackward(
  ptr: Int32Array,
  nbr: Int32Array,
  dAgg: ArrayLike<number>,
  dim: number,
  numDst: number,
  dSrc: FloatArray,
  sign?: ArrayLike<number> | null,
): void {
  const w = sign ? 2 * dim : dim;
  for (let d = 0; d < numDst; d++) {
    const start = ptr[d];
    const end = ptr[d + 1];
    if (end === start) continue;
    const s = 1 / (end - start);
    const a = d * w;
    for (let k = start; k < end; k++) {
      const o = nbr[k] * dim;
      if (sign) {
        const t = s * sign[k];
        for (let j = 0; j < dim; j++) dSrc[o + j] += s * dAgg[a + j] + t * dAgg[a + dim + j];
      } else {
        for (let j = 0; j < dim; j++) dSrc[o + j] += s * dAgg[a + j];
      }
    }
  }
}

/** For y = x·W over `rows` rows: dW += xᵀ·dy and, when dx is given, dx += dy·Wᵀ. */
export function denseBackward(
  rows: number,
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  w: Dense<FloatArray>,
  dW: FloatArray,
  dx: FloatArray | null,
): void {
  const inDim = w.inDim;
  const outDim = w.outDim;
  const weight = w.weight;
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    const yo = r * outDim;
    for (let k = 0; k < inDim; k++) {
      const v = x[xo + k];
      const wo = k * outDim;
      if (v !== 0) for (let j = 0; j < outDim; j++) dW[wo + j] += v * dy[yo + j];
      if (dx) {
        let acc = 0;
        for (let j = 0; j < outDim; j++) acc += dy[yo + j] * weight[wo + j];
        dx[xo + k] += acc;
      }
    }
  }
}

/** dBias += column sums of dy. */
function biasBackward(rows: number, dy: ArrayLike<number>, dBias: FloatArray): void {
  const n = dBias.length;
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) dBias[j] += dy[r * n + j];
}

/** Zeroes dy where the ReLU output h was not positive (in place). */
function reluBackward(h: ArrayLike<number>, dy: FloatArray): void {
  for (let i = 0; i < dy.length; i++) if (!(h[i] > 0)) dy[i] = 0;
}

/** From dz to dh1 (accumulated) and dh2 (overwritten), through normalisation and the skip connection. */
function combineBackward(
  rows: number,
  emb: ArrayLike<number>,
  norms: ArrayLike<number>,
  dz: ArrayLike<number>,
  config: ModelParams<FloatArray>['config'],
  dh1: FloatArray,
  dh2: FloatArray,
): void {
  const h = config.hiddenDim;
  const o = config.outDim;
  const d = config.skip === 'concat' ? h + o : o;
  const stride = config.movieScoreBias ? d + 1 : d;
  const g = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const zo = r * stride;
    for (let j = 0; j < d; j++) g[j] = dz[zo + j];
    if (config.normalize) {
      const norm = norms[r];
      if (norm > NORM_EPS) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += emb[zo + j] * g[j];
        for (let j = 0; j < d; j++) g[j] = (g[j] - emb[zo + j] * dot) / norm;
      } else {
        for (let j = 0; j < d; j++) g[j] /= NORM_EPS;
      }
    }
    if (config.skip === 'concat') {
      for (let j = 0; j < h; j++) dh1[r * h + j] += g[j];
      for (let j = 0; j < o; j++) dh2[r * o + j] = g[h + j];
    } else {
      if (config.skip === 'sum') for (let j = 0; j < h; j++) dh1[r * h + j] += g[j];
      for (let j = 0; j < o; j++) dh2[r * o + j] = g[j];
    }
  }
}

/**
 * Accumulates the parameter gradient `grad` (same shapes as `p`) of a loss whose gradient with respect to
 * the embeddings is dUserEmb (numUsers × D) and dMovieEmb (numMovies × D). `f` is the forward of `p` on `g`.
 */
export function backward<A extends FloatArray>(
  g: MessageGraph,
  p: ModelParams<A>,
  f: ForwardResult<A>,
  dUserEmb: ArrayLike<number>,
  dMovieEmb: ArrayLike<number>,
  grad: ModelParams<A>,
): void {
  const c = p.config;
  const nu = g.numUsers;
  const nm = g.numMovies;
  const h = c.hiddenDim;
  const o = c.outDim;
  const fm = g.movieFeatureDim;
  const de = c.movieIdEmbeddingDim;
  const dx = fm + de;
  const alloc = (n: number): A => allocLike(p.layer1.movie.bias, n);

  const userDH1 = alloc(nu * h);
  const movieDH1 = alloc(nm * h);
  const userDH2 = alloc(nu * o);
  const movieDH2 = alloc(nm * o);
  combineBackward(nu, f.userEmb, f.userNorm, dUserEmb, c, userDH1, userDH2);
  combineBackward(nm, f.movieEmb, f.movieNorm, dMovieEmb, c, movieDH1, movieDH2);
  // The score-bias column of z_m is c_m itself (the users' column is the constant 1).
  if (c.movieScoreBias) {
    const d = f.dim;
    for (let m = 0; m < nm; m++) grad.movieScoreBias[m] += dMovieEmb[m * d + d - 1];
  }

  // Layer 2: h2 = h1·self + agg2·neigh + bias.
  const l2 = p.layer2;
  const g2 = grad.layer2;
  const su = f.signs?.user ?? null;
  const sm = f.signs?.movie ?? null;
  const k = c.ratingMessages ? 2 : 1;
  const userDAgg2 = alloc(nu * h * k);
  const movieDAgg2 = alloc(nm * h * k);
  denseBackward(nu, f.userH1, userDH2, l2.user.self, g2.user.self.weight, userDH1);
  denseBackward(nu, f.userAgg2, userDH2, l2.user.neigh, g2.user.neigh.weight, userDAgg2);
  biasBackward(nu, userDH2, g2.user.bias);
  denseBackward(nm, f.movieH1, movieDH2, l2.movie.self, g2.movie.self.weight, movieDH1);
  denseBackward(nm, f.movieAgg2, movieDH2, l2.movie.neigh, g2.movie.neigh.weight, movieDAgg2);
  biasBackward(nm, movieDH2, g2.movie.bias);
  meanAggregateBackward(g.userPtr, g.edgeMovie, userDAgg2, h, nu, movieDH1, su);
  meanAggregateBackward(g.moviePtr, g.movieAdjUser, movieDAgg2, h, nm, userDH1, sm);

  // ReLU, then layer 1: h1 = relu(x·self + agg1·neigh + bias).
  reluBackward(f.userH1, userDH1);
  reluBackward(f.movieH1, movieDH1);
  const l1 = p.layer1;
  const g1 = grad.layer1;
  const movieDX = de > 0 ? alloc(nm * dx) : null;
  const userDAgg1 = de > 0 ? alloc(nu * dx * k) : null;
  denseBackward(nu, g.userFeatures, userDH1, l1.user.self, g1.user.self.weight, null);
  denseBackward(nu, f.userAgg1, userDH1, l1.user.neigh, g1.user.neigh.weight, userDAgg1);
  biasBackward(nu, userDH1, g1.user.bias);
  denseBackward(nm, f.movieX, movieDH1, l1.movie.self, g1.movie.self.weight, movieDX);
  denseBackward(nm, f.movieAgg1, movieDH1, l1.movie.neigh, g1.movie.neigh.weight, null);
  biasBackward(nm, movieDH1, g1.movie.bias);

  // The id embedding is the tail of x_m: gather its columns of dx_m.
  if (movieDX && userDAgg1) {
    meanAggregateBackward(g.userPtr, g.edgeMovie, userDAgg1, dx, nu, movieDX, su);
    const gi = grad.movieIdEmbedding;
    for (let m = 0; m < nm; m++) for (let j = 0; j < de; j++) gi[m * de + j] += movieDX[m * dx + fm + j];
  }
}
