/**
 * Test helper: seeded random `ModelParams` and random bipartite `RatingGraph`s (isolated nodes included)
 * for the ONNX export and runtime parity tests.
 */
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';
import {
  baseEmbeddingDim,
  type Dense,
  type ModelConfig,
  type ModelParams,
  neighbourWidth,
  type SageConvParams,
} from '../../src/core/model/params.ts';
import { mulberry32 } from '../../src/core/random.ts';

export const rng = mulberry32;

function uniform(r: () => number, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

export function randomParams(
  r: () => number,
  dims: { userFeatureDim: number; movieFeatureDim: number; numMovies: number },
  config: Partial<ModelConfig> = {},
): ModelParams {
  const c: ModelConfig = {
    hiddenDim: 16,
    outDim: 16,
    movieIdEmbeddingDim: 8,
    skip: 'concat',
    normalize: true,
    temperature: 0.1,
    ...config,
  };
  const xm = dims.movieFeatureDim + c.movieIdEmbeddingDim;
  const n = (width: number) => neighbourWidth(c, width);
  const b = baseEmbeddingDim(c);
  const dense = (inDim: number, outDim: number): Dense => ({
    inDim,
    outDim,
    weight: uniform(r, inDim * outDim, Math.sqrt(3 / inDim)),
  });
  const conv = (selfIn: number, neighIn: number, out: number): SageConvParams => ({
    self: dense(selfIn, out),
    neigh: dense(neighIn, out),
    bias: uniform(r, out, 0.1),
  });
  return {
    config: c,
    ...dims,
    movieIdEmbedding: uniform(r, dims.numMovies * c.movieIdEmbeddingDim, 0.5),
    movieScoreBias: uniform(r, c.movieScoreBias ? dims.numMovies : 0, 0.5),
    layer1: {
      user: conv(dims.userFeatureDim, n(xm), c.hiddenDim),
      movie: conv(xm, n(dims.userFeatureDim), c.hiddenDim),
    },
    layer2: { user: conv(c.hiddenDim, n(c.hiddenDim), c.outDim), movie: conv(c.hiddenDim, n(c.hiddenDim), c.outDim) },
    calibration: {
      globalMean: 3.5,
      intercept: 3.5,
      slope: 0.3,
      userBiasWeight: 0.8,
      userShrink: 3,
      movieBias: uniform(r, dims.numMovies, 0.5),
      bilinear: uniform(r, b * b, 0.5),
      minStars: 1,
      maxStars: 5,
    },
  };
}

/**
 * A random graph: `numEdges` distinct (user, movie) pairs, popularity-skewed movies, and (with
 * `isolated`) the last user and last movie left without edges.
 */
export function randomGraph(
  r: () => number,
  numUsers: number,
  numMovies: number,
  numEdges: number,
  featureDims: { user: number; movie: number },
  isolated = true,
): RatingGraph {
  const uMax = isolated ? numUsers - 1 : numUsers;
  const mMax = isolated ? numMovies - 1 : numMovies;
  if (numEdges > uMax * mMax) throw new Error('too many edges for the graph');
  const seen = new Set<number>();
  const user = new Int32Array(numEdges);
  const movie = new Int32Array(numEdges);
  for (let e = 0; e < numEdges; ) {
    const u = Math.floor(r() * uMax);
    const m = Math.floor(r() ** 2 * mMax);
    if (seen.has(u * numMovies + m)) continue;
    seen.add(u * numMovies + m);
    user[e] = u;
    movie[e] = m;
    e++;
  }
  const rating = Float32Array.from({ length: numEdges }, () => 1 + Math.floor(r() * 5));
  const time = Uint32Array.from({ length: numEdges }, (_, i) => 1e9 + i);
  return {
    numUsers,
    numMovies,
    userFeatureDim: featureDims.user,
    movieFeatureDim: featureDims.movie,
    userFeatures: Float32Array.from({ length: numUsers * featureDims.user }, () => r()),
    movieFeatures: Float32Array.from({ length: numMovies * featureDims.movie }, () => r()),
    ...buildCsr(numUsers, numMovies, user, movie, rating, time),
    userIds: Int32Array.from({ length: numUsers }, (_, i) => i + 1),
    movieIds: Int32Array.from({ length: numMovies }, (_, i) => i + 1),
  };
}
