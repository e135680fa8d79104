/**
 * Ranking metrics and top-K selection for offline evaluation (DESIGN §4). Pure: no DOM or Node imports.
 *
 * Definitions, for a ranked list `ranked` (best first) and a set of positive items P:
 * - Recall@K = |top-K ∩ P| / |P|
 * - NDCG@K   = DCG@K / IDCG@K with binary gain, DCG = Σ_{r<K, ranked[r]∈P} 1/log2(r+2) and
 *              IDCG the DCG of an ideal list: Σ_{r<min(K,|P|)} 1/log2(r+2)
 * - HR@K     = 1 if any of the top K is in P, else 0
 * Each metric is 0 when P is empty (callers evaluate only users with at least one positive).
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
