/**
 * Quick ranking metrics for early stopping and tuning: full ranking over the movies a user has no edge to
 * in the given graph, positives held out of it. Recall@K and NDCG@K are those of src/core/metrics.ts, the
 * same definitions pipeline/eval reports. (The official numbers come from pipeline/eval.)
 */
import { ndcgAtK, recallAtK } from '../../src/core/metrics.ts';
import type { MessageGraph } from '../../src/core/model/forward.ts';
import { createBitset, scoreAll, setBit, topN } from '../../src/core/recommend/rank.ts';

/** Held-out positives per user: user u's are movies[ptr[i]..ptr[i+1]) for u = users[i]. */
export interface HeldOutPositives {
  users: Int32Array;
  ptr: Int32Array;
  movies: Int32Array;
}

export interface RankingMetrics {
  recall: number;
  ndcg: number;
  users: number;
}

/** Groups (user, movie) pairs by user (users ascending). */
export function groupPositives(user: ArrayLike<number>, movie: ArrayLike<number>): HeldOutPositives {
  const order = Array.from({ length: user.length }, (_, i) => i).sort(
    (a, b) => user[a] - user[b] || movie[a] - movie[b],
  );
  const users: number[] = [];
  const ptr: number[] = [0];
  const movies = new Int32Array(order.length);
  order.forEach((i, k) => {
    if (users.length === 0 || users[users.length - 1] !== user[i]) {
      if (users.length) ptr.push(k);
      users.push(user[i]);
    }
    movies[k] = movie[i];
  });
  if (users.length) ptr.push(order.length);
  return { users: Int32Array.from(users), ptr: Int32Array.from(ptr), movies };
}

/**
 * Scores one user's z against all movies (times `scale`, plus `boost`, one value per movie, when given),
 * masks `exclude`, and counts hits among `positives`. With a boost the scale matters: pass the model's
 * 1/temperature so that the boost weighs against its logits as it does in `recommend()`.
 */
export function rankOne(
  z: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  exclude: Uint8Array,
  positives: ArrayLike<number>,
  k: number,
  scores: Float32Array,
  boost: Float32Array | null = null,
  scale = 1,
): { recall: number; ndcg: number } {
  scoreAll(z, movieEmb, dim, scores, scale);
  if (boost) for (let m = 0; m < scores.length; m++) scores[m] += boost[m];
  const top = topN(scores, k, exclude);
  const pos = new Set(Array.from(positives));
  return { recall: recallAtK(top, pos, pos.size, k), ndcg: ndcgAtK(top, pos, pos.size, k) };
}

/** Mean Recall@K and NDCG@K of graph users, excluding each user's edges in `graph`. */
export function evaluateUsers(
  emb: { userEmb: Float32Array; movieEmb: Float32Array; dim: number },
  graph: Pick<MessageGraph, 'userPtr' | 'edgeMovie' | 'numMovies'>,
  held: HeldOutPositives,
  k = 20,
): RankingMetrics {
  const scores = new Float32Array(graph.numMovies);
  let recall = 0;
  let ndcg = 0;
  const d = emb.dim;
  for (let i = 0; i < held.users.length; i++) {
    const u = held.users[i];
    const exclude = createBitset(graph.numMovies);
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) setBit(exclude, graph.edgeMovie[e]);
    const z = emb.userEmb.subarray(u * d, (u + 1) * d);
    const r = rankOne(z, emb.movieEmb, d, exclude, held.movies.subarray(held.ptr[i], held.ptr[i + 1]), k, scores);
    recall += r.recall;
    ndcg += r.ndcg;
  }
  const n = held.users.length;
  return { recall: n ? recall / n : 0, ndcg: n ? ndcg / n : 0, users: n };
}
