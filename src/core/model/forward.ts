/**
 * The full-graph GraphSAGE forward of params.ts over a rating graph, in plain TypeScript. It returns the
 * final embeddings and every intermediate the trainer's backward pass needs. Used by the trainer, by
 * tests as the reference for the ONNX model and the visitor update, and by the browser as the "plain TS"
 * baseline. Pure: no DOM or Node imports.
 */
import type { RatingGraph } from '../graph.ts';
import { combineEmbedding, edgeSigns, meanAggregate, sageDense } from './ops.ts';
import { embeddingDim, type FloatArray, type ModelParams, movieInputDim } from './params.ts';

/**
 * The parts of a rating graph the model reads: features, the CSR in both directions and the stars of each
 * edge (read only by a model with rating-aware messages).
 */
export type MessageGraph = Pick<
  RatingGraph,
  | 'numUsers'
  | 'numMovies'
  | 'userFeatureDim'
  | 'movieFeatureDim'
  | 'userFeatures'
  | 'movieFeatures'
  | 'userPtr'
  | 'edgeMovie'
  | 'moviePtr'
  | 'movieAdjUser'
  | 'edgeRating'
  | 'movieAdjEdge'
>;

export interface ForwardResult<A extends FloatArray = Float32Array> {
  /** Embedding width D. */
  dim: number;
  /**
   * numUsers × D and numMovies × D: the z of params.ts (normalised when the config says so), with the
   * score-bias column last when the config has one (1 for users, c_m for movies).
   */
  userEmb: A;
  movieEmb: A;
  /** x_m = [movieFeatures, movieIdEmbedding], numMovies × movieInputDim. */
  movieX: A;
  /**
   * Layer-1 neighbour means: users over x_m (numUsers × movieInputDim), movies over x_u; twice as wide
   * with rating-aware messages ([mean, signed mean], see ops.ts `meanAggregate`).
   */
  userAgg1: A;
  movieAgg1: A;
  /** Layer-1 outputs after ReLU, × hiddenDim. */
  userH1: A;
  movieH1: A;
  /** Layer-2 neighbour means of h1, × hiddenDim (× 2·hiddenDim with rating-aware messages). */
  userAgg2: A;
  movieAgg2: A;
  /** Layer-2 outputs, × outDim. */
  userH2: A;
  movieH2: A;
  /** Pre-normalisation norms of z (empty when not normalising). */
  userNorm: A;
  movieNorm: A;
  /** The signed weight of each adjacency entry (null without rating-aware messages). */
  signs: { user: Float32Array; movie: Float32Array } | null;
}

/** Allocates an array of the same element type as the parameters. */
export function allocLike<A extends FloatArray>(like: A, n: number): A {
  return (like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
}

/** Concatenates movie features and id embeddings into x_m (numMovies × movieInputDim). */
export function movieInputs<A extends FloatArray>(
  g: Pick<MessageGraph, 'numMovies' | 'movieFeatureDim' | 'movieFeatures'>,
  p: Pick<ModelParams<A>, 'config' | 'layer1' | 'movieIdEmbedding'>,
): A {
  const fm = g.movieFeatureDim;
  const de = p.config.movieIdEmbeddingDim;
  const dx = fm + de;
  const x = allocLike(p.layer1.movie.bias, g.numMovies * dx);
  for (let m = 0; m < g.numMovies; m++) {
    for (let j = 0; j < fm; j++) x[m * dx + j] = g.movieFeatures[m * fm + j];
    for (let j = 0; j < de; j++) x[m * dx + fm + j] = p.movieIdEmbedding[m * de + j];
  }
  return x;
}

/** Checks that the graph's feature widths match what the parameters were trained for. */
export function checkShapes(
  g: Pick<MessageGraph, 'userFeatureDim' | 'movieFeatureDim' | 'numMovies'>,
  p: ModelParams<FloatArray>,
): void {
  if (g.userFeatureDim !== p.userFeatureDim || g.movieFeatureDim !== p.movieFeatureDim || g.numMovies !== p.numMovies) {
    throw new RangeError(
      `graph (user features ${g.userFeatureDim}, movie features ${g.movieFeatureDim}, ${g.numMovies} movies) does not match the model (${p.userFeatureDim}, ${p.movieFeatureDim}, ${p.numMovies})`,
    );
  }
}

/** Runs the model over the whole graph. */
export function forward<A extends FloatArray = Float32Array>(g: MessageGraph, p: ModelParams<A>): ForwardResult<A> {
  checkShapes(g, p);
  const c = p.config;
  const nu = g.numUsers;
  const nm = g.numMovies;
  const fu = g.userFeatureDim;
  const dx = movieInputDim(p);
  const h = c.hiddenDim;
  const o = c.outDim;
  const d = embeddingDim(c);
  const like = p.layer1.movie.bias;
  const alloc = (n: number): A => allocLike(like, n);

  const signs = edgeSigns(c, g);
  const su = signs?.user ?? null;
  const sm = signs?.movie ?? null;
  const k = c.ratingMessages ? 2 : 1;

  const movieX = movieInputs(g, p);
  const userAgg1 = alloc(nu * dx * k);
  const movieAgg1 = alloc(nm * fu * k);
  meanAggregate(g.userPtr, g.edgeMovie, movieX, dx, nu, userAgg1, undefined, su);
  meanAggregate(g.moviePtr, g.movieAdjUser, g.userFeatures, fu, nm, movieAgg1, undefined, sm);

  const l1 = p.layer1;
  const userH1 = alloc(nu * h);
  const movieH1 = alloc(nm * h);
  sageDense(nu, g.userFeatures, userAgg1, l1.user.self, l1.user.neigh, l1.user.bias, true, userH1);
  sageDense(nm, movieX, movieAgg1, l1.movie.self, l1.movie.neigh, l1.movie.bias, true, movieH1);

  const userAgg2 = alloc(nu * h * k);
  const movieAgg2 = alloc(nm * h * k);
  meanAggregate(g.userPtr, g.edgeMovie, movieH1, h, nu, userAgg2, undefined, su);
  meanAggregate(g.moviePtr, g.movieAdjUser, userH1, h, nm, movieAgg2, undefined, sm);

  const l2 = p.layer2;
  const userH2 = alloc(nu * o);
  const movieH2 = alloc(nm * o);
  sageDense(nu, userH1, userAgg2, l2.user.self, l2.user.neigh, l2.user.bias, false, userH2);
  sageDense(nm, movieH1, movieAgg2, l2.movie.self, l2.movie.neigh, l2.movie.bias, false, movieH2);

  const userEmb = alloc(nu * d);
  const movieEmb = alloc(nm * d);
  const userNorm = alloc(c.normalize ? nu : 0);
  const movieNorm = alloc(c.normalize ? nm : 0);
  const ones = c.movieScoreBias ? alloc(nu).fill(1) : null;
  const bias = c.movieScoreBias ? p.movieScoreBias : null;
  combineEmbedding(nu, userH1, h, userH2, o, c.skip, c.normalize, userEmb, userNorm, ones);
  combineEmbedding(nm, movieH1, h, movieH2, o, c.skip, c.normalize, movieEmb, movieNorm, bias);

  return {
    dim: d,
    userEmb,
    movieEmb,
    movieX,
    userAgg1,
    movieAgg1,
    userH1,
    movieH1,
    userAgg2,
    movieAgg2,
    userH2,
    movieH2,
    userNorm,
    movieNorm,
    signs,
  };
}
