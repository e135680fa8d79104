/**
 * Ranking and rating-prediction metrics, one definition for the whole repo: the evaluation harness
 * (pipeline/eval/harness.ts, README § Quality) and the trainer's early stopping (pipeline/train/validate.ts).
 * Pure: no DOM or Node imports.
 *
 * Definitions, for a ranked list `ranked` (best first) and a set of positive items P:
 * - Recall@K = |top-K ∩ P| / |P|
 * - NDCG@K   = DCG@K / IDCG@K with binary gain, DCG = Σ_{r<K, ranked[r]∈P} 1/log2(r+2) and
 *              IDCG the DCG of an ideal list: Σ_{r<min(K,|P|)} 1/log2(r+2)
 * - HR@K     = 1 if any of the top K is in P, else 0
 * - Dislike@K = |top-K ∩ D| / |D| for the user's hidden dislikes D (ratings ≤ 2): lower is better
 * Each metric is 0 when P (or D) is empty (callers average only over users with at least one).
 * For star prediction, RMSE = sqrt(mean (p − r)²) and MAE = mean |p − r| over (predicted, true) pairs.
 * The ranked list itself comes from `topN` in `recommend/rank.ts`, the same top-N the browser uses.
 */

/** Membership test for positives: a Set of item indices or a 0/1 mask indexed by item. */
export type PositiveSet = ReadonlySet<number> | Uint8Array;

function has(pos: PositiveSet, item: number): boolean {
  return pos instanceof Uint8Array ? pos[item] !== 0 : pos.has(item);
}

function hitsAt(ranked: ArrayLike<number>, pos: PositiveSet, k: number): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < n; r++) if (has(pos, ranked[r])) hits++;
  return hits;
}

/** Recall@K: hits in the top K over the number of positives. */
export function recallAtK(ranked: ArrayLike<number>, pos: PositiveSet, numPositives: number, k: number): number {
  if (numPositives <= 0) return 0;
  return hitsAt(ranked, pos, k) / numPositives;
}

/** NDCG@K with binary gain; IDCG over min(K, numPositives) ideal hits. */
export function ndcgAtK(ranked: ArrayLike<number>, pos: PositiveSet, numPositives: number, k: number): number {
  if (numPositives <= 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let r = 0; r < n; r++) if (has(pos, ranked[r])) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  const ideal = Math.min(k, numPositives);
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

/** HR@K: 1 if any of the top K is positive. */
export function hitRateAtK(ranked: ArrayLike<number>, pos: PositiveSet, k: number): number {
  return hitsAt(ranked, pos, k) > 0 ? 1 : 0;
}

/** Dislike@K: the share of the user's hidden dislikes that land in the top K (lower is better). */
export function dislikeAtK(ranked: ArrayLike<number>, dislikes: PositiveSet, numDislikes: number, k: number): number {
  return recallAtK(ranked, dislikes, numDislikes, k);
}

/** RMSE and MAE of predicted stars against the true ones (both NaN with no pairs). */
export function ratingErrors(predicted: ArrayLike<number>, actual: ArrayLike<number>): { rmse: number; mae: number } {
  if (predicted.length !== actual.length) {
    throw new RangeError(`${predicted.length} predictions for ${actual.length} ratings`);
  }
  let se = 0;
  let ae = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = predicted[i] - actual[i];
    se += d * d;
    ae += Math.abs(d);
  }
  const n = actual.length;
  return n ? { rmse: Math.sqrt(se / n), mae: ae / n } : { rmse: Number.NaN, mae: Number.NaN };
}
